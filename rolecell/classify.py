"""Classify a responsibility as Operations, Project, Shared or Unclear, and say why.

A pure, deterministic weighted sum: the text is lower-cased, split into words and each word
reduced to its stem (Snowball's English stemmer, so monitors/monitoring/monitored all read
"monitor"); the stems are matched against the cue vocabulary of `rolecell.knowledge` (longest
phrase first), the time-expression patterns run over the text, and Start/End dates add their
own evidence. Each cue leans to one side on one of the five dimensions with a weight; the sums
per side decide the verdict and the sums per dimension give the scores.

Everything here runs once per row of registers of 100,000 rows, so the inner loop is written
for speed (see `_row_classifier`): words are mapped to their keys and single-word cues through
caches at C speed, phrases are tried only where two neighbouring keys start one, patterns run
only when one of their trigger words is present, and each piece of evidence carries what the
verdict and the rationale need of it, computed once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from itertools import compress
from operator import itemgetter
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
_CLOCK = re.compile(r"\d:\d")  # a time of day like 9:30, for patterns triggered by "#clock"
_STEMMER = snowballstemmer.stemmer("english")
_NORMAL_CACHE_LIMIT = 500_000
_JUDGED_LIMIT = 65_536
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
    on_clock: bool  # "#clock" among the triggers: run when the text has a time like 9:30


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
                     frozenset(t for t in p.triggers if t != "#clock"), "#clock" in p.triggers)
            for p in knowledge.pattern_rows()
        )
        self.trigger_words = frozenset().union(*(p.triggers for p in self.patterns))
        settings = knowledge.settings()
        self.decision = settings["decision"]
        clauses = settings["clauses"]
        self.clause_lean = clauses["lean"]
        self.clause_break = re.compile(  # on lower-cased text; starts with \s to scan fast
            r"\s(?:" + "|".join(r"\s+".join(map(re.escape, words.split()))
                               for words in sorted(clauses["breaks"], key=len, reverse=True))
            + r")(?![a-z0-9_])|;")
        self.dates = settings["dates"]
        self.labels = {
            **{(d.key, Side.OPERATIONS): d.operations_label for d in knowledge.dimensions()},
            **{(d.key, Side.PROJECT): d.project_label for d in knowledge.dimensions()},
        }
        # What follows serves the fast path, _row_classifier().
        self.prefixes = tuple(  # [leans to project][dimension index] -> "label: "
            tuple(f"{self.labels[dimension, side]}: " for dimension in DIMENSIONS)
            for side in (Side.OPERATIONS, Side.PROJECT)
        )
        self.trigger_bits = {  # word -> the patterns it triggers, one bit per pattern
            word: sum(1 << n for n, p in enumerate(self.patterns) if word in p.triggers)
            for word in self.trigger_words
        }
        self.clock_bits = sum(1 << n for n, p in enumerate(self.patterns) if p.on_clock)
        self.pattern_runs = _PatternRuns(self.patterns)
        self.bigrams = {  # (first key, second key) -> (size, keys from the third, cue), longest
            (first, second): found  # first, as in _Index.phrases
            for first, candidates in self.index.phrases.items()
            for second, found in _by_second_key(candidates).items()
        }
        self.singles: dict[str, tuple | int] = {}  # word -> record of its single cue, or 0
        self.records: dict[tuple[str, int], tuple] = {}  # (phrase, id of cue) -> record
        # evidence -> (verdict, one role with strong evidence for the other: read by parts?)
        self.judged: dict[tuple[Evidence, ...], tuple[Classification, bool]] = {}
        self.judged_mixed: dict[tuple[Evidence, ...], tuple[Classification, bool]] = {}
        self.scores = _ScoresCache(self.decision["score_scale"])
        self.text_records, self.classify_row = _row_classifier(self)

    def single(self, word: str) -> tuple | int:
        """The record of a word's single-word cue (0 if none or neutral), cached per word."""
        cue = self.index.singles.get(self.normalise(word))
        found = 0 if cue is None or cue.side is None else self.record(word, cue)
        if len(self.singles) < _NORMAL_CACHE_LIMIT:  # bounded against floods of junk words
            self.singles[word] = found
        return found

    def record(self, phrase: str, cue: _Cue) -> tuple:
        """The record of a cue found as `phrase`, cached: the same phrases recur row after row,
        and records made once are objects that the garbage collector need not track anew."""
        key = (phrase, id(cue))
        found = self.records.get(key)
        if found is None:
            found = _evidence_record(_new_tuple(Evidence, (phrase, *cue[1:])), id(cue))
            if len(self.records) < _NORMAL_CACHE_LIMIT:
                self.records[key] = found
        return found


def _by_second_key(candidates: Sequence[tuple[int, list[str], _Cue]]
                   ) -> dict[str, tuple[tuple[int, list[str], _Cue], ...]]:
    """Phrase candidates (longest first) grouped by their second word's key, order kept."""
    grouped: dict[str, list[tuple[int, list[str], _Cue]]] = {}
    for size, rest, cue in candidates:
        grouped.setdefault(rest[0], []).append((size, rest[1:], cue))
    return {second: tuple(found) for second, found in grouped.items()}


class _PatternRuns(dict):
    """Bits of triggered patterns -> (regex search, cue) of each, in the patterns' order."""

    def __init__(self, patterns: Sequence[_Pattern]):
        super().__init__()
        self.patterns = patterns

    def __missing__(self, bits: int) -> tuple[tuple[Callable, _Cue], ...]:
        found = self[bits] = tuple((p.regex.search, p.cue) for n, p in enumerate(self.patterns)
                                   if bits >> n & 1)
        return found


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


def _evidence_record(item: Evidence, cue_id: int) -> tuple:
    """A piece of evidence with all that the classifier reads of it, precomputed:

    (sort key, evidence, dimension index, leans to project, weight, quoted cue, id of the cue).
    The sort key is exactly the strength order of the evidence (weight, dimension,
    cue); the rest saves the verdict and the rationale from recomputing indices, sides and
    quotes. Records of cues are made once per phrase and shared by every row.
    """
    dimension = _DIMENSION_ORDER[item.dimension]
    project = item.side is Side.PROJECT
    return ((-item.weight, dimension, item.cue), item, dimension, project, item.weight,
            f"'{item.cue}'", cue_id)


def _date_records(start: dt.date | None, end: dt.date | None) -> list[tuple]:
    return [_evidence_record(item, 0) for item in _date_evidence(start, end)]


_SORT_KEY = itemgetter(0)
_EVIDENCE = itemgetter(1)
_WEIGHT = itemgetter(4)
_QUOTED = itemgetter(5)
_CUE_ID = itemgetter(6)


def _row_classifier(known: _Knowledge) -> tuple[Callable[..., list[tuple]],
                                                 Callable[..., Classification]]:
    """The per-row classifier, with the tables it reads bound to local names once.

    Everything here runs for every distinct row, so it is written to do per word only what C
    does: map the words to their keys and to the records of their single-word cues through
    caches, and test every pair of neighbouring keys against the phrases' first two keys in one
    set operation. Only when such a pair is found (a minority of rows) does Python walk the
    candidate phrases (`_phrase_records`). Matching is exactly that of `_Index.spans`: longest
    phrase first, left to right, without overlaps, neutral cues blocking their words; a cue
    found twice counts once, where first found.
    """
    findall = _WORD.findall
    singles_get, single = known.singles.get, known.single
    keys_get = known.normalise.cache.get
    bigrams_get = known.bigrams.get
    trigger_words, trigger_bits, clock_bits = (known.trigger_words, known.trigger_bits,
                                               known.clock_bits)
    pattern_runs, record = known.pattern_runs, known.record
    judged, judged_mixed = known.judged, known.judged_mixed
    judged_get = judged.get
    clause_lean = known.clause_lean
    dimension_count, decision, prefixes = len(DIMENSIONS), known.decision, known.prefixes
    score_of = known.scores.__getitem__

    def text_records(text: str, rules: tuple[Rule, ...]) -> list[tuple]:
        """The records of the cues and patterns of a text, in the order found."""
        lowered = text.lower()
        raw = findall(lowered)
        if rules:
            records = _rule_records(known, raw, rules)
        elif raw:
            found = list(map(singles_get, raw))
            if None in found:
                found = [one if one is not None else single(word)
                         for one, word in zip(found, raw, strict=True)]
            keys = list(map(keys_get, raw))
            if None in keys:
                keys = _keys(known, raw)
            starts = list(map(bigrams_get, zip(keys, keys[1:], strict=False)))
            if starts.count(None) == len(starts):
                records = list(filter(None, found))  # no phrase: every single-word cue counts
            else:
                records = _phrase_records(known, raw, keys, found, starts)
            if len(records) > 1 and len({*map(_CUE_ID, records)}) < len(records):
                seen: set[int] = set()
                records = [item for item in records
                           if not (item[6] in seen or seen.add(item[6]))]
        else:
            records = []

        triggered = trigger_words.intersection(raw)
        clock = ":" in lowered and _CLOCK.search(lowered) is not None
        if triggered or clock:  # patterns run only when a trigger word (or a time) is present
            bits = clock_bits if clock else 0
            for word in triggered:
                bits |= trigger_bits[word]
            if bits:
                for search, cue in pattern_runs[bits]:
                    match = search(lowered)
                    if match:
                        records.append(record(" ".join(match.group(0).split())[:40], cue))
        return records

    def classify_row(text: str, rules: tuple[Rule, ...],
                     dates: list[tuple] | None) -> Classification:
        """Classify a text, with the records of its dates (or None)."""
        records = text_records(text, rules)
        if dates:
            records += dates
        if len(records) > 1:
            records.sort(key=_SORT_KEY)  # strongest first: stable, as sorting the evidence was
        evidence = tuple(map(_EVIDENCE, records))
        found = judged_get(evidence)
        if found is None:
            found = judge(records, evidence, False)
        result, two_sided = found
        if two_sided and _parts_lean_both_ways(known, text, rules):
            result = (judged_mixed.get(evidence) or judge(records, evidence, True))[0]
        return result

    def judge(records: list[tuple], evidence: tuple[Evidence, ...],
              mixed: bool) -> tuple[Classification, bool]:
        """Verdict, scores and rationale from the records, strongest first, and whether the
        verdict is one role with strong evidence for the other too (worth reading by parts).

        `mixed`: the statement's parts lean each way, so it is Shared. The weights are summed
        in the records' order, as ever, so that the floating-point sums are the same. Rows
        with the same evidence share one (immutable) Classification.
        """
        per_dimension = [0.0] * dimension_count
        project = operations = 0.0
        groups: tuple[dict[int, list[tuple]], ...] = ({}, {})  # operations, project
        for item in records:
            _, _, dimension, leans_project, weight, _, _ = item
            if leans_project:
                project += weight
                per_dimension[dimension] += weight
            else:
                operations += weight
                per_dimension[dimension] -= weight
            side = groups[leans_project]
            if dimension in side:
                side[dimension].append(item)
            else:
                side[dimension] = [item]
        if mixed:
            role, confidence = Role.SHARED, _shared_confidence(project, operations, decision)
            rationale = "parts lean each way; " + _rationale(role, groups, prefixes)
        else:
            role, confidence = _verdict(project, operations, decision)
            rationale = (_rationale(role, groups, prefixes) if records
                         else "no evidence for either role")
        result = _new_tuple(Classification, (
            role, confidence,
            MappingProxyType(dict(zip(DIMENSIONS, map(score_of, per_dimension), strict=True))),
            rationale, evidence, False))
        two_sided = (role is Role.OPERATIONS or role is Role.PROJECT) and min(
            project, operations) >= clause_lean
        cache = judged_mixed if mixed else judged
        if len(cache) >= _JUDGED_LIMIT:
            cache.clear()
        cache[evidence] = found = (result, two_sided)
        return found

    return text_records, classify_row


def _keys(known: _Knowledge, raw: Sequence[str]) -> list[str]:
    """The matching keys of some words, normalised through the cache."""
    get, normalise = known.normalise.cache.get, known.normalise
    return [get(word) or normalise(word) for word in raw]


def _phrase_records(known: _Knowledge, raw: list[str], keys: list[str],
                    singles: list[tuple | int], starts: list[tuple | None]) -> list[tuple]:
    """Records when some pairs of neighbouring keys start phrases (`starts`, per word: the
    candidates of the phrases starting there): the phrases that match, left to right and
    longest first, and the single-word records of the words outside them."""
    records: list[tuple] = []
    done = 0  # the words before this are in records (or in a phrase)
    for i in compress(range(len(starts)), starts):
        if i < done:
            continue
        for size, rest, cue in starts[i]:
            if not rest or keys[i + 2 : i + size] == rest:
                records += filter(None, singles[done:i])
                if cue.side is not None:
                    records.append(known.record(" ".join(raw[i : i + size]), cue))
                done = i + size
                break
    records += filter(None, singles[done:])
    return records


def _rule_records(known: _Knowledge, raw: list[str], rules: tuple[Rule, ...]) -> list[tuple]:
    """Records with the user's rules: rules first, then the vocabulary where no rule matched."""
    keys = _keys(known, raw)
    rule_spans = _rules_index(rules).spans(keys)
    covered = {i for start, end, _ in rule_spans for i in range(start, end)}
    matches = rule_spans + [span for span in known.index.spans(keys)
                            if covered.isdisjoint(range(span[0], span[1]))]
    records = []
    seen: set[int] = set()
    for start, end, cue in matches:
        if cue.side is None or id(cue) in seen:
            continue
        seen.add(id(cue))
        phrase = raw[start] if end - start == 1 else " ".join(raw[start:end])
        records.append(known.record(phrase, cue))
    return records


def _text_evidence(text: str, rules: tuple[Rule, ...]) -> list[Evidence]:
    """The evidence of a text alone (no dates), in the order found."""
    return list(map(_EVIDENCE, _knowledge().text_records(text, rules)))


class _ScoresCache(dict):
    """Sum of one dimension -> its score; the same sums recur row after row, tanh need not."""

    def __init__(self, scale: float):
        super().__init__()
        self.scale = scale

    def __missing__(self, value: float) -> float:
        score = round(math.tanh(value / self.scale), 3) if value else 0.0
        if len(self) < _NORMAL_CACHE_LIMIT:
            self[value] = score
        return score


def _verdict(project: float, operations: float, config: Mapping) -> tuple[Role, float]:
    total = project + operations
    if total < config["min_evidence"]:
        return Role.UNCLEAR, 0.0
    strength = 1.0 - math.exp(-total / config["confidence_scale"])
    weaker, stronger = sorted((project, operations))
    if weaker >= config["shared_min_side"] and weaker / stronger >= config["shared_balance"]:
        return Role.SHARED, _shared_confidence(project, operations, config)
    margin = (stronger - weaker) / total
    if margin < config["min_margin"]:
        return Role.UNCLEAR, round(strength * (1 - margin) * 0.5, 2)
    role = Role.PROJECT if project > operations else Role.OPERATIONS
    return role, round(strength * margin, 2)


def _shared_confidence(project: float, operations: float, config: Mapping) -> float:
    """Confidence in Shared: the strength of all the evidence, times the sides' balance."""
    total = project + operations
    if not total:
        return 0.0
    weaker, stronger = sorted((project, operations))
    return round((1.0 - math.exp(-total / config["confidence_scale"])) * weaker / stronger, 2)


def _parts_lean_both_ways(known: _Knowledge, text: str, rules: tuple[Rule, ...]) -> bool:
    """Whether the statement, split into parts at ';' and joining words ("and", "while" ...),
    has a part leaning each way by at least `clauses.lean`: two kinds of work in one line."""
    parts = known.clause_break.split(text.lower())
    if len(parts) < 2:
        return False
    most = least = 0.0
    for part in parts:
        lean = math.fsum(item[4] if item[3] else -item[4]
                         for item in known.text_records(part, rules))
        most, least = max(most, lean), min(least, lean)
        if most >= known.clause_lean and least <= -known.clause_lean:
            return True
    return False


_SIDES = {Role.OPERATIONS: (False,), Role.PROJECT: (True,), Role.SHARED: (False, True),
          Role.UNCLEAR: (False, True)}


def _rationale(role: Role, groups: tuple[dict[int, list[tuple]], ...],
               prefixes: Mapping) -> str:
    """One line naming the strongest evidence, by dimension: "ongoing: 'daily'; ...".

    `groups` holds, per side (operations, project), the records (strongest first) per
    dimension; on each side of the role the dimensions are ranked by their summed weight (with
    `sum`, as ever, so that ties and rounding fall alike), then by display order.
    """
    parts = []
    for project in _SIDES[role]:
        side = groups[project]
        if len(side) == 1:
            ranked = [(0, *item) for item in side.items()]
        else:
            ranked = sorted([(-sum(map(_WEIGHT, items)), dimension, items)
                             for dimension, items in side.items()])[:_MAX_GROUPS]
        for _, dimension, items in ranked:
            parts.append(prefixes[project][dimension]
                         + ", ".join(map(_QUOTED, items[:_MAX_CUES_PER_GROUP])))
    if role is Role.UNCLEAR:
        return "too little to decide; " + "; ".join(parts)
    return "; ".join(parts)


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if isinstance(text, float) and text.is_integer():
        return str(int(text))
    return str(text)


def _classify(text: str, start: dt.date | None, end: dt.date | None,
              rules: tuple[Rule, ...]) -> Classification:
    dates = _date_records(start, end) if start or end else None
    return _knowledge().classify_row(text, rules, dates)


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
    texts = [text if type(text) is str else _as_text(text) for text in texts]
    classify_row = _knowledge().classify_row
    if starts is None and ends is None:
        done: dict[object, Classification] = {}
        results = []
        for text in texts:
            result = done.get(text)
            if result is None:
                result = done[text] = classify_row(text, normalised, None)
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
