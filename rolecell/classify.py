"""Classify a responsibility as Operations, Project, Shared or Unclear, and say why.

A pure, deterministic weighted sum: the text is lower-cased, split into words and each word
reduced to its stem (Snowball's English stemmer, so monitors/monitoring/monitored all read
"monitor"); the stems are matched against the cue vocabulary of `rolecell.knowledge` (longest
phrase first), the time-expression patterns run over the text, and Start/End dates add their
own evidence. Each cue leans to one side on one of the five dimensions with a weight; the sums
per side decide the verdict and the sums per dimension give the scores.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import snowballstemmer

from rolecell import knowledge
from rolecell.model import DIMENSIONS, Classification, Evidence, Register, Role, Rule, Side

__all__ = ["classify", "classify_many", "classify_register", "normalise_rules", "overridden"]

_WORD = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("english")
_STEM_CACHE: dict[str, str] = {}
_MAX_CUES_PER_GROUP = 3
_MAX_GROUPS = 3

RuleLike = Rule | tuple | Mapping


def tokens(text: str) -> list[str]:
    """Lower-cased words and numbers of a text, in order."""
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    stem = _STEM_CACHE.get(word)
    if stem is None:
        stem = _STEMMER.stemWord(word)
        if len(_STEM_CACHE) < 200_000:  # bounded: a flood of distinct junk cannot grow it forever
            _STEM_CACHE[word] = stem
    return stem


def stems(text: str) -> list[str]:
    """The stems of a text's words: the form in which cues are matched."""
    return [_stem(word) for word in _WORD.findall(text.lower())]


@dataclass(frozen=True, slots=True)
class _Cue:
    label: str  # the cue as written in the vocabulary or rule
    dimension: str
    side: Side | None  # None: a neutral phrase that only blocks its words
    weight: float
    source: str


class _Index:
    """Cue phrases keyed by their first word, longest phrase first.

    A phrase matches on stems, or on the exact words where the vocabulary writes "=word"
    (for words whose stem would also catch unrelated words: production/productivity/product).
    """

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], bool, _Cue]]):
        by_first: dict[bool, dict[str, dict[tuple[str, ...], _Cue]]] = {True: {}, False: {}}
        for key, exact, cue in entries:
            if key:
                by_first[exact].setdefault(key[0], {})[key] = cue  # later entries win
        self._stem, self._exact = (
            {first: sorted(phrases.items(), key=lambda item: -len(item[0]))
             for first, phrases in by_first[exact].items()}
            for exact in (False, True)
        )

    def spans(self, words: Sequence[str], raw: Sequence[str]) -> list[tuple[int, int, _Cue]]:
        """Non-overlapping matches (start, end, cue), left to right, longest (then exact) first."""
        found = []
        i, n = 0, len(words)
        stem_index, exact_index = self._stem, self._exact
        while i < n:
            best: tuple[int, _Cue] | None = None
            for key, cue in exact_index.get(raw[i], ()):
                if len(key) == 1 or tuple(raw[i : i + len(key)]) == key:
                    best = (len(key), cue)
                    break
            for key, cue in stem_index.get(words[i], ()):
                if best and len(key) <= best[0]:
                    break
                if len(key) == 1 or tuple(words[i : i + len(key)]) == key:
                    best = (len(key), cue)
                    break
            if best:
                found.append((i, i + best[0], best[1]))
                i += best[0]
            else:
                i += 1
        return found


def _key(phrase: str) -> tuple[tuple[str, ...], bool]:
    """How a vocabulary phrase is matched: its stems, or its exact words if it starts with '='."""
    if phrase.startswith("="):
        return tuple(tokens(phrase[1:])), True
    return tuple(stems(phrase)), False


def _side(value: str) -> Side | None:
    return None if value == "neutral" else Side(value)


@cache
def _builtin_index() -> _Index:
    return _Index(
        (*_key(row.cue), _Cue(row.cue.lstrip("="), row.dimension, _side(row.side), row.weight,
                              "vocabulary"))
        for row in knowledge.cue_rows()
    )


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], _Cue], ...]:
    return tuple(
        (re.compile(row.regex), _Cue(row.name, row.dimension, Side(row.side), row.weight,
                                     "pattern"))
        for row in knowledge.pattern_rows()
    )


@cache
def _rules_index(rules: tuple[Rule, ...]) -> _Index:
    return _Index(
        (*_key(rule.phrase), _Cue(rule.phrase, rule.dimension, rule.side, rule.weight, "rule"))
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
        role = Role.parse(side) if not isinstance(side, Side) else None
        if isinstance(side, Side):
            parsed_side = side
        elif role in (Role.OPERATIONS, Role.PROJECT):
            parsed_side = Side(role.value.lower())
        else:
            raise ValueError(f"rule {phrase!r}: side must be Operations or Project, not {side!r}")
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
    config = knowledge.settings()["dates"]
    if start and end:
        if 0 <= (end - start).days <= config["bounded_max_days"]:
            label = f"dated {start.isoformat()} to {end.isoformat()}"
            return [Evidence(label, "horizon", Side.PROJECT, config["bounded_weight"], "dates")]
        return []
    if end:
        label = f"end date {end.isoformat()}"
        return [Evidence(label, "horizon", Side.PROJECT, config["single_date_weight"], "dates")]
    if start:
        label = f"start date {start.isoformat()}"
        return [Evidence(label, "horizon", Side.PROJECT, config["single_date_weight"], "dates")]
    return []


def _text_evidence(text: str, rules: tuple[Rule, ...]) -> list[Evidence]:
    lowered = text.lower()
    raw = _WORD.findall(lowered)
    words = [_stem(word) for word in raw]
    matches: list[tuple[int, int, _Cue]] = []
    if rules:
        rule_spans = _rules_index(rules).spans(words, raw)
        covered = {i for start, end, _ in rule_spans for i in range(start, end)}
        matches.extend(rule_spans)
        matches.extend(
            span for span in _builtin_index().spans(words, raw)
            if not covered.intersection(range(span[0], span[1]))
        )
    else:
        matches = _builtin_index().spans(words, raw)

    evidence: list[Evidence] = []
    seen: set[int] = set()
    for start, end, cue in matches:
        if cue.side is None or id(cue) in seen:
            continue
        seen.add(id(cue))
        phrase = " ".join(raw[start:end])  # the words as the user wrote them
        evidence.append(Evidence(phrase, cue.dimension, cue.side, cue.weight, cue.source))
    for pattern, cue in _patterns():
        found = pattern.search(lowered)
        if found:
            phrase = " ".join(found.group(0).split())[:40]
            evidence.append(Evidence(phrase, cue.dimension, cue.side, cue.weight, "pattern"))
    return evidence


def _labels() -> dict[tuple[str, Side], str]:
    return {
        **{(d.key, Side.OPERATIONS): d.operations_label for d in knowledge.dimensions()},
        **{(d.key, Side.PROJECT): d.project_label for d in knowledge.dimensions()},
    }


def _rationale(role: Role, evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return "no evidence for either role"
    if role is Role.OPERATIONS:
        sides = (Side.OPERATIONS,)
    elif role is Role.PROJECT:
        sides = (Side.PROJECT,)
    else:
        sides = (Side.OPERATIONS, Side.PROJECT)
    labels = _labels()
    parts = []
    for side in sides:
        groups: dict[str, list[Evidence]] = {}
        for item in evidence:
            if item.side is side:
                groups.setdefault(item.dimension, []).append(item)
        ranked = sorted(groups.items(), key=lambda kv: (-sum(e.weight for e in kv[1]),
                                                         DIMENSIONS.index(kv[0])))
        for dimension, items in ranked[:_MAX_GROUPS]:
            items = sorted(items, key=lambda e: -e.weight)[:_MAX_CUES_PER_GROUP]
            cues = ", ".join(f"'{e.cue}'" for e in items)
            parts.append(f"{labels[dimension, side]}: {cues}")
    if role is Role.UNCLEAR:
        return "too little to decide; " + "; ".join(parts)
    return "; ".join(parts)


def _verdict(evidence: Sequence[Evidence]) -> tuple[Role, float, dict[str, float]]:
    config = knowledge.settings()["decision"]
    per_dimension = dict.fromkeys(DIMENSIONS, 0.0)
    project = operations = 0.0
    for item in evidence:
        per_dimension[item.dimension] += item.side.sign * item.weight
        if item.side is Side.PROJECT:
            project += item.weight
        else:
            operations += item.weight
    scale = config["score_scale"]
    scores = {key: round(math.tanh(value / scale), 3) for key, value in per_dimension.items()}

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
    if isinstance(text, float) and text.is_integer():
        return str(int(text))
    return text if isinstance(text, str) else str(text)


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


def _classify(text: str, start: dt.date | None, end: dt.date | None,
              rules: tuple[Rule, ...]) -> Classification:
    evidence = _text_evidence(text, rules) + _date_evidence(start, end)
    evidence.sort(key=lambda e: (-e.weight, DIMENSIONS.index(e.dimension), e.cue))
    role, confidence, scores = _verdict(evidence)
    return Classification(
        role=role,
        confidence=confidence,
        scores=MappingProxyType(scores),
        rationale=_rationale(role, evidence),
        evidence=tuple(evidence),
    )


def classify_many(
    texts: Iterable[object],
    *,
    starts: Iterable[object] | None = None,
    ends: Iterable[object] | None = None,
    hours: Iterable[object] | None = None,
    rules: Iterable[RuleLike] | None = None,
) -> list[Classification]:
    """Classify many responsibilities at once; identical rows are computed once."""
    texts = [_as_text(text) for text in texts]
    starts_list = list(starts) if starts is not None else [None] * len(texts)
    ends_list = list(ends) if ends is not None else [None] * len(texts)
    if len(starts_list) != len(texts) or len(ends_list) != len(texts):
        raise ValueError("starts and ends must be as long as texts")
    normalised = normalise_rules(rules)
    done: dict[tuple[str, object, object], Classification] = {}
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
