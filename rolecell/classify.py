"""Classify a responsibility as Operations, Project, Shared or Unclear, and say why.

A pure, deterministic weighted sum: the text is lower-cased, split into words and each word
reduced to its stem (Snowball's English stemmer, so monitors/monitoring/monitored all read
"monitor"); the stems are matched against the cue vocabulary of `rolecell.knowledge` (longest
phrase first), the time-expression patterns run over the text, and Start/End dates add their
own evidence. Each cue leans to one side on one of the five dimensions with a weight; the sums
per side decide the verdict and the sums per dimension give the scores.

Everything here runs once per row of registers of 100,000 rows, so the inner loop is written
for speed: words are normalised through a cache, cues are looked up by their first word, and
patterns run only when one of their trigger words is present.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from types import MappingProxyType
from typing import NamedTuple

import snowballstemmer

from rolecell import knowledge
from rolecell.model import DIMENSIONS, Classification, Evidence, Register, Role, Rule, Side

__all__ = [
    "classify",
    "classify_many",
    "classify_register",
    "normalise_rules",
    "overridden",
    "words",
]

_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("english")
_NORMAL_CACHE_LIMIT = 500_000
_MAX_CUES_PER_GROUP = 3
_MAX_GROUPS = 3
_DIMENSION_ORDER = {key: index for index, key in enumerate(DIMENSIONS)}

RuleLike = Rule | tuple | Mapping
_new_tuple = tuple.__new__  # builds an Evidence without the Python-level __new__ of NamedTuple


def words(text: str) -> list[str]:
    """Lower-cased words and numbers of a text, in order: what cues are matched against."""
    return _WORD.findall(text.lower())


class _Cue(NamedTuple):
    label: str  # the cue as written in the vocabulary or rule
    dimension: str
    side: Side | None  # None: a neutral phrase that only blocks its words from other cues
    weight: float
    source: str


class _Normaliser:
    """Word -> matching key: its Snowball stem, or "=word" for words the vocabulary marks exact.

    Exact words exist because a stem can be shared by unrelated words (production,
    productivity and product all stem to "product"); "=production" matches that word alone.
    """

    def __init__(self, exact_words: Iterable[str]):
        self.exact = frozenset(exact_words)
        self.cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        key = self.cache.get(word)
        if key is None:
            if word in self.exact:
                key = "=" + word
            elif word.isdigit() or len(word) < 3:
                key = word
            else:
                key = _STEMMER.stemWord(word)
            if len(self.cache) < _NORMAL_CACHE_LIMIT:  # bounded against floods of junk words
                self.cache[word] = key
        return key

    def phrase(self, phrase: str) -> tuple[str, ...]:
        """The key of a vocabulary phrase, split into words as texts are; "=word" is exact."""
        keys = []
        for part in phrase.lower().split():
            exact = part.startswith("=")
            keys.extend("=" + w if exact else self(w) for w in _WORD.findall(part))
        return tuple(keys)


class _Index:
    """Cue phrases keyed by their first word's key; single words apart, for speed."""

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], _Cue]]):
        singles: dict[str, _Cue] = {}
        phrases: dict[str, dict[tuple[str, ...], _Cue]] = {}
        for key, cue in entries:
            if len(key) == 1:
                singles[key[0]] = cue  # later entries win
            elif key:
                phrases.setdefault(key[0], {})[key] = cue
        self.singles = singles
        self.phrases = {  # first word -> (size, the other words, cue), longest first
            first: tuple((size, list(key[1:]), cue) for size, key, cue in
                         sorted(((len(k), k, c) for k, c in found.items()), reverse=True))
            for first, found in phrases.items()
        }
        self.firsts = frozenset(singles) | frozenset(self.phrases)

    def spans(self, keys: Sequence[str]) -> list[tuple[int, int, _Cue]]:
        """Non-overlapping matches (start, end, cue), left to right, longest phrase first."""
        hits = self.firsts.intersection(keys)
        if not hits:
            return []
        found = []
        singles, phrases = self.singles, self.phrases
        skip_to = 0
        for i in [i for i, key in enumerate(keys) if key in hits]:  # few: cue words only
            if i < skip_to:
                continue
            key = keys[i]
            candidates = phrases.get(key)
            if candidates is not None:
                for size, rest, cue in candidates:
                    if keys[i + 1 : i + size] == rest:
                        found.append((i, i + size, cue))
                        skip_to = i + size
                        break
                else:
                    cue = singles.get(key)
                    if cue is not None:
                        found.append((i, i + 1, cue))
            else:
                found.append((i, i + 1, singles[key]))
        return found


class _Pattern(NamedTuple):
    regex: re.Pattern[str]
    cue: _Cue
    triggers: frozenset[str]
    on_colon: bool  # "#colon" among the triggers: run when the text has a ':'


class _Knowledge:
    """The vocabulary, patterns and settings, compiled once for fast matching."""

    def __init__(self) -> None:
        rows = knowledge.cue_rows()
        self.normalise = _Normaliser(r.cue[1:] for r in rows if r.cue.startswith("="))
        self.index = _Index(
            (self.normalise.phrase(row.cue),
             _Cue(row.cue.lstrip("="), row.dimension,
                  None if row.side == "neutral" else Side(row.side), row.weight, "vocabulary"))
            for row in rows
        )
        self.patterns = tuple(
            _Pattern(re.compile(p.regex), _Cue(p.name, p.dimension, Side(p.side), p.weight,
                                               "pattern"),
                     frozenset(t for t in p.triggers if t != "#colon"), "#colon" in p.triggers)
            for p in knowledge.pattern_rows()
        )
        self.trigger_words = frozenset().union(*(p.triggers for p in self.patterns))
        self.colon_patterns = any(p.on_colon for p in self.patterns)
        settings = knowledge.settings()
        self.decision = settings["decision"]
        self.dates = settings["dates"]
        self.labels = {
            **{(d.key, Side.OPERATIONS): d.operations_label for d in knowledge.dimensions()},
            **{(d.key, Side.PROJECT): d.project_label for d in knowledge.dimensions()},
        }


@cache
def _knowledge() -> _Knowledge:
    return _Knowledge()


@cache
def _rules_index(rules: tuple[Rule, ...]) -> _Index:
    normalise = _knowledge().normalise
    return _Index(
        (normalise.phrase(rule.phrase.lstrip("=")),
         _Cue(rule.phrase, rule.dimension, rule.side, rule.weight, "rule"))
        for rule in rules
    )


def normalise_rules(rules: Iterable[RuleLike] | None) -> tuple[Rule, ...]:
    """Accept Rule objects, (phrase, side[, weight[, dimension]]) tuples or dicts."""
    if not rules:
        return ()
    result = []
    for rule in rules:
        if isinstance(rule, Rule):
            result.append(rule)
            continue
        if isinstance(rule, Mapping):
            phrase, side = rule.get("phrase"), rule.get("side")
            weight, dimension = rule.get("weight", 2.0), rule.get("dimension") or "way_of_working"
        else:
            phrase, side, *more = rule
            weight = more[0] if more else 2.0
            dimension = more[1] if len(more) > 1 and more[1] else "way_of_working"
        if isinstance(side, Side):
            parsed_side = side
        else:
            role = Role.parse(side)
            if role not in (Role.OPERATIONS, Role.PROJECT):
                raise ValueError(f"rule {phrase!r}: side must be Operations or Project, "
                                 f"not {side!r}")
            parsed_side = Side(role.value.lower())
        if dimension not in DIMENSIONS:
            raise ValueError(f"rule {phrase!r}: dimension must be one of {', '.join(DIMENSIONS)}")
        if not str(phrase or "").strip():
            raise ValueError("a rule needs a phrase")
        result.append(Rule(str(phrase), parsed_side, float(weight), dimension))
    return tuple(result)


def _to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _date_evidence(start: dt.date | None, end: dt.date | None) -> list[Evidence]:
    config = _knowledge().dates
    if start and end:
        if 0 <= (end - start).days <= config["bounded_max_days"]:
            label = f"dated {start.isoformat()} to {end.isoformat()}"
            return [Evidence(label, "horizon", Side.PROJECT, config["bounded_weight"], "dates")]
        return []
    if end or start:
        label = f"end date {end.isoformat()}" if end else f"start date {start.isoformat()}"
        return [Evidence(label, "horizon", Side.PROJECT, config["single_date_weight"], "dates")]
    return []


def _text_evidence(text: str, rules: tuple[Rule, ...]) -> list[Evidence]:
    known = _knowledge()
    lowered = text.lower()
    raw = _WORD.findall(lowered)
    keys = list(map(known.normalise.cache.get, raw))
    if None in keys:
        keys = [key or known.normalise(word) for key, word in zip(keys, raw, strict=True)]
    if rules:
        rule_spans = _rules_index(rules).spans(keys)
        covered = {i for start, end, _ in rule_spans for i in range(start, end)}
        matches = rule_spans + [span for span in known.index.spans(keys)
                                if covered.isdisjoint(range(span[0], span[1]))]
    else:
        matches = known.index.spans(keys)

    evidence: list[Evidence] = []
    if matches:
        seen: set[int] = set()
        for start, end, cue in matches:
            if cue.side is None or id(cue) in seen:
                continue
            seen.add(id(cue))
            phrase = raw[start] if end - start == 1 else " ".join(raw[start:end])
            evidence.append(_new_tuple(Evidence, (phrase, *cue[1:])))

    triggered = known.trigger_words.intersection(raw)
    if triggered or (":" in lowered and known.colon_patterns):
        for pattern in known.patterns:
            if pattern.triggers.isdisjoint(triggered) and not (pattern.on_colon
                                                               and ":" in lowered):
                continue
            found = pattern.regex.search(lowered)
            if found:
                phrase = " ".join(found.group(0).split())[:40]
                evidence.append(_new_tuple(Evidence, (phrase, *pattern.cue[1:])))
    return evidence


def _rationale(role: Role, evidence: Sequence[Evidence], labels: dict) -> str:
    """One line naming the strongest evidence, by dimension: "ongoing: 'daily'; ..."."""
    if not evidence:
        return "no evidence for either role"
    if role is Role.OPERATIONS:
        sides = (Side.OPERATIONS,)
    elif role is Role.PROJECT:
        sides = (Side.PROJECT,)
    else:
        sides = (Side.OPERATIONS, Side.PROJECT)
    parts = []
    for side in sides:
        groups: dict[str, list[Evidence]] = {}
        for item in evidence:  # already strongest first
            if item.side is side:
                groups.setdefault(item.dimension, []).append(item)
        ranked = sorted(groups.items(), key=lambda kv: (-sum(e.weight for e in kv[1]),
                                                         _DIMENSION_ORDER[kv[0]]))
        for dimension, items in ranked[:_MAX_GROUPS]:
            cues = ", ".join(f"'{e.cue}'" for e in items[:_MAX_CUES_PER_GROUP])
            parts.append(f"{labels[dimension, side]}: {cues}")
    if role is Role.UNCLEAR:
        return "too little to decide; " + "; ".join(parts)
    return "; ".join(parts)


def _verdict(evidence: Sequence[Evidence], config: Mapping) -> tuple[Role, float,
                                                                      dict[str, float]]:
    per_dimension = dict.fromkeys(DIMENSIONS, 0.0)
    project = operations = 0.0
    for item in evidence:
        if item.side is Side.PROJECT:
            project += item.weight
            per_dimension[item.dimension] += item.weight
        else:
            operations += item.weight
            per_dimension[item.dimension] -= item.weight
    scale = config["score_scale"]
    scores = {key: round(math.tanh(value / scale), 3) if value else 0.0
              for key, value in per_dimension.items()}

    total = project + operations
    if total < config["min_evidence"]:
        return Role.UNCLEAR, 0.0, scores
    strength = 1.0 - math.exp(-total / config["confidence_scale"])
    weaker, stronger = sorted((project, operations))
    if weaker >= config["shared_min_side"] and weaker / stronger >= config["shared_balance"]:
        return Role.SHARED, round(strength * weaker / stronger, 2), scores
    margin = (stronger - weaker) / total
    if margin < config["min_margin"]:
        return Role.UNCLEAR, round(strength * (1 - margin) * 0.5, 2), scores
    role = Role.PROJECT if project > operations else Role.OPERATIONS
    return role, round(strength * margin, 2), scores


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, float) and text.is_integer():
        return str(int(text))
    return str(text)


def _strength_order(item: Evidence) -> tuple:
    return (-item.weight, _DIMENSION_ORDER[item.dimension], item.cue)


def _classify(text: str, start: dt.date | None, end: dt.date | None,
              rules: tuple[Rule, ...]) -> Classification:
    evidence = _text_evidence(text, rules)
    if start or end:
        evidence += _date_evidence(start, end)
    evidence.sort(key=_strength_order)
    return _judge(tuple(evidence))


@lru_cache(maxsize=65_536)
def _judge(evidence: tuple[Evidence, ...]) -> Classification:
    """Verdict, scores and rationale from the evidence alone; many rows share the same evidence."""
    known = _knowledge()
    role, confidence, scores = _verdict(evidence, known.decision)
    return Classification(
        role=role,
        confidence=confidence,
        scores=MappingProxyType(scores),
        rationale=_rationale(role, evidence, known.labels),
        evidence=evidence,
    )


def classify(
    text: object,
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    hours: float | None = None,
    rules: Iterable[RuleLike] | None = None,
) -> Classification:
    """Classify one responsibility: its text, and its Start/End dates when it has them.

    `hours` (effort per week) is accepted so that callers can pass a whole row; effort says how
    much work there is, not whose it is, so it weighs the row in the staffing plan but is not
    evidence of the role. `rules` are the user's own cues: (phrase, side, weight) or `Rule`s;
    where a rule matches, the built-in vocabulary is not read for those words.
    """
    return _classify(_as_text(text), _to_date(start), _to_date(end), normalise_rules(rules))


def classify_many(
    texts: Iterable[object],
    *,
    starts: Iterable[object] | None = None,
    ends: Iterable[object] | None = None,
    hours: Iterable[object] | None = None,
    rules: Iterable[RuleLike] | None = None,
) -> list[Classification]:
    """Classify many responsibilities at once; identical rows are computed once."""
    return _classify_many(texts, starts, ends, normalise_rules(rules))


def _classify_many(texts: Iterable[object], starts: Iterable[object] | None,
                   ends: Iterable[object] | None,
                   normalised: tuple[Rule, ...]) -> list[Classification]:
    texts = [_as_text(text) for text in texts]
    if starts is None and ends is None:
        done: dict[object, Classification] = {}
        results = []
        for text in texts:
            result = done.get(text)
            if result is None:
                result = done[text] = _classify(text, None, None, normalised)
            results.append(result)
        return results
    starts_list = list(starts) if starts is not None else [None] * len(texts)
    ends_list = list(ends) if ends is not None else [None] * len(texts)
    if len(starts_list) != len(texts) or len(ends_list) != len(texts):
        raise ValueError("starts and ends must be as long as texts")
    done = {}
    results = []
    for text, start, end in zip(texts, starts_list, ends_list, strict=True):
        key = (text, _to_date(start), _to_date(end))
        result = done.get(key)
        if result is None:
            result = done[key] = _classify(text, key[1], key[2], normalised)
        results.append(result)
    return results


def overridden(classification: Classification, override: Role) -> Classification:
    """The classification of a row whose role was chosen by hand: the override wins, and says so."""
    verdict = f"{classification.role} {classification.confidence:.2f}"
    return Classification(
        role=override,
        confidence=1.0,
        scores=classification.scores,
        rationale=f"override by hand (rolecell: {verdict}; {classification.rationale})",
        evidence=classification.evidence,
        overridden=True,
    )


def classify_register(register: Register, rules: Iterable[RuleLike] | None = None) -> Register:
    """Classify every row of a register in place (its Rules first, then `rules`) and return it."""
    all_rules = normalise_rules(list(register.rules) + list(normalise_rules(rules)))
    results = classify_many(
        (row.text for row in register.rows),
        starts=[row.start for row in register.rows],
        ends=[row.end for row in register.rows],
        rules=all_rules,
    )
    for row, result in zip(register.rows, results, strict=True):
        row.classification = overridden(result, row.override) if row.override else result
    return register
