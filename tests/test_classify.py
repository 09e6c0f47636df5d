"""The classifier: verdicts, evidence, scores, rules, dates, determinism and bounded time."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rolecell
from rolecell import DIMENSIONS, Role, Rule, Side


@pytest.mark.parametrize(
    "text",
    [
        "Replenish the pick faces every morning before the first wave",
        "Weekly staff roster for the packing team",
        "Monitor daily service levels and adjust staffing",
        "Reconcile supplier statements at month-end",
        "Run the service desk and keep ticket response times within SLA",
    ],
)
def test_recurring_work_on_existing_processes_is_operations(text: str) -> None:
    assert rolecell.classify(text).role is Role.OPERATIONS


@pytest.mark.parametrize(
    "text",
    [
        "Implement the new warehouse management system by Q3",
        "Select and implement a payroll platform; go-live in March 2027",
        "Migrate the file servers to the cloud with a cross-functional team",
        "Open a second depot in the north: site selection, fit-out and hiring",
        "Lead the pilot of electric delivery vans and report to the steering committee",
    ],
)
def test_bounded_work_that_creates_something_new_is_project(text: str) -> None:
    assert rolecell.classify(text).role is Role.PROJECT


def test_strong_evidence_on_both_sides_is_shared() -> None:
    text = ("Run the daily dispatch and weekly driver rosters, monitor on-time delivery KPIs, "
            "and implement the new route-planning system with a cross-functional team, "
            "go-live by Q3")
    result = rolecell.classify(text)
    assert result.role is Role.SHARED
    assert {e.side for e in result.evidence} == {Side.OPERATIONS, Side.PROJECT}


def test_a_line_whose_parts_lean_each_way_is_shared_even_when_one_side_is_stronger() -> None:
    text = ("Run the depot's daily shifts and lead the relocation to the new site: select the "
            "contractor, plan the phased move, go-live by Q3")
    whole = rolecell.classify(text)
    assert whole.role is Role.SHARED
    assert whole.rationale.startswith("parts lean each way; ")
    assert 0 < whole.confidence < 1
    # each part alone leans its own way ...
    assert rolecell.classify("Run the depot's daily shifts").role is Role.OPERATIONS
    # ... and a line whose parts all lean one way keeps that role
    one_way = "Plan the phased move and lead the relocation to the new site by Q3"
    assert rolecell.classify(one_way).role is Role.PROJECT
    assert rolecell.classify_many([text, one_way]) == [whole, rolecell.classify(one_way)]


def test_many_joined_parts_classify_in_bounded_time() -> None:
    text = "run the daily rota and launch the new site by q3 and " * 600  # 31,800 characters
    start = time.perf_counter()
    assert rolecell.classify(text).role in Role
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text", ["", "   ", "Attend meetings", "Misc.", "12345"])
def test_too_little_evidence_is_unclear_with_zero_confidence(text: str) -> None:
    result = rolecell.classify(text)
    assert result.role is Role.UNCLEAR
    assert result.confidence == 0.0
    assert result.rationale == "no evidence for either role"


def test_the_role_words_are_not_needed() -> None:
    assert rolecell.classify("Roll out self-checkout tills to all stores before "
                             "Christmas").role is Role.PROJECT
    assert rolecell.classify("Keep the chillers within temperature and log readings "
                             "each shift").role is Role.OPERATIONS


def test_words_are_matched_by_stem() -> None:
    for form in ("monitor", "monitors", "monitoring", "monitored"):
        cues = [e.cue for e in rolecell.classify(f"{form} fridge temperatures").evidence]
        assert form in cues


def test_exact_cues_do_not_catch_other_words_with_the_same_stem() -> None:
    # productivity, production and product share the stem "product"
    result = rolecell.classify("product")
    assert result.role is Role.UNCLEAR


def test_result_has_five_scores_in_range_and_signs_follow_the_evidence() -> None:
    result = rolecell.classify("Implement the new ERP by June; daily stand-ups")
    assert tuple(result.scores) == DIMENSIONS
    assert all(-1.0 <= value <= 1.0 for value in result.scores.values())
    assert result.scores["change"] > 0  # implement, new
    ops = rolecell.classify("Monitor uptime and efficiency of the existing line")
    assert ops.scores["objective"] < 0


def test_confidence_is_in_range_and_grows_with_evidence() -> None:
    weak = rolecell.classify("Maintain the printers")
    strong = rolecell.classify("Maintain the printers daily, check toner levels every "
                               "morning and track uptime against the SLA")
    assert 0.0 < weak.confidence < strong.confidence <= 1.0


def test_rationale_names_dimension_and_words_from_the_text() -> None:
    result = rolecell.classify("Daily cycle counts in the existing warehouse")
    assert "ongoing: 'daily'" in result.rationale
    assert "'cycle counts'" in result.rationale


def test_evidence_is_structured() -> None:
    evidence = rolecell.classify("Launch the webshop by 1 May").evidence
    assert evidence
    for item in evidence:
        assert item.dimension in DIMENSIONS
        assert item.side in (Side.OPERATIONS, Side.PROJECT)
        assert item.weight > 0
        assert item.source in ("vocabulary", "pattern", "rule", "dates")
    assert any(e.source == "pattern" and e.cue.startswith("by 1 may") for e in evidence)


def test_start_and_end_dates_are_evidence_of_temporary_work() -> None:
    plain = rolecell.classify("Racking for aisle 9")
    dated = rolecell.classify("Racking for aisle 9", start="2027-02-01", end="2027-05-31")
    assert plain.role is Role.UNCLEAR
    assert dated.role is Role.PROJECT
    assert any(e.source == "dates" for e in dated.evidence)
    assert rolecell.classify("x", start=dt.date(2027, 1, 1), end=dt.date(2027, 2, 1)) \
        == rolecell.classify("x", start="2027-01-01", end="2027-02-01")


def test_dates_further_apart_than_three_years_are_not_temporary() -> None:
    result = rolecell.classify("Racking for aisle 9", start="2020-01-01", end="2030-01-01")
    assert not any(e.source == "dates" for e in result.evidence)


def test_hours_are_accepted_but_are_not_evidence() -> None:
    assert rolecell.classify("Weekly stock count", hours=6) == \
        rolecell.classify("Weekly stock count")


def test_user_rules_add_vocabulary_and_win_over_built_in_cues() -> None:
    text = "Prepare the SOX walkthroughs"
    assert rolecell.classify(text).role is Role.UNCLEAR
    ruled = rolecell.classify(text, rules=[("SOX walkthroughs", "Operations", 3)])
    assert ruled.role is Role.OPERATIONS
    assert ruled.evidence[0].source == "rule"
    # "implement" is a strong built-in project cue; a rule on the same words replaces it
    overruled = rolecell.classify("implement changeovers",
                                  rules=[Rule("implement changeovers", Side.OPERATIONS, 4.0)])
    assert overruled.role is Role.OPERATIONS
    assert all(e.source == "rule" for e in overruled.evidence)


def test_rules_accept_dicts_and_reject_bad_sides() -> None:
    result = rolecell.classify("kanban refill", rules=[{"phrase": "kanban refill",
                                                        "side": "ops", "weight": 2}])
    assert result.role is Role.OPERATIONS
    with pytest.raises(ValueError, match="side must be Operations or Project"):
        rolecell.classify("x", rules=[("x", "sideways")])
    with pytest.raises(ValueError, match="dimension"):
        rolecell.classify("x", rules=[("x", "Project", 1, "colour")])


def test_classify_many_matches_classify_and_reuses_identical_rows() -> None:
    texts = ["Weekly stock count", "Launch the app by May", "Weekly stock count", None, 42]
    results = rolecell.classify_many(texts)
    assert [r.role for r in results] == [rolecell.classify(t).role for t in texts]
    assert results[0] is results[2]
    dated = rolecell.classify_many(["x", "x"], starts=[None, "2027-01-01"],
                                   ends=[None, "2027-03-01"])
    assert dated[0].role is Role.UNCLEAR and dated[1].role is Role.PROJECT
    with pytest.raises(ValueError):
        rolecell.classify_many(["a", "b"], starts=["2027-01-01"])


def test_override_always_wins_and_says_so() -> None:
    from rolecell.model import Register, Responsibility

    register = Register(rows=[Responsibility("Implement the new ERP by Q3",
                                             override=Role.OPERATIONS)])
    rolecell.classify_register(register)
    result = register.rows[0].classification
    assert result.role is Role.OPERATIONS and result.overridden
    assert result.rationale.startswith("override by hand (rolecell: Project")


def test_very_long_and_adversarial_text_classifies_in_bounded_time() -> None:
    samples = [
        "daily " * 5000,  # 30,000 characters of one cue
        "x" * 30_000,
        "by " * 10_000,
        ("every other second working " * 1200)[:30_000],
        "as " + "new " * 7000 + "arrives",
        ("q3 fy 2027 " * 3000)[:30_000],
        "a" + " " * 29_998 + "b",
        "1:1 " * 7000,
    ]
    for text in samples:
        start = time.perf_counter()
        result = rolecell.classify(text)
        assert time.perf_counter() - start < 0.5, text[:30]
        assert result.role in Role


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_classify_never_raises_and_is_deterministic(text: str) -> None:
    first = rolecell.classify(text)
    second = rolecell.classify(text)
    assert first == second
    assert 0.0 <= first.confidence <= 1.0
    assert all(-1.0 <= v <= 1.0 for v in first.scores.values())
    assert isinstance(first.rationale, str) and "\n" not in first.rationale


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["daily", "implement", "new", "roster", "by Q3", "monitor",
                                 "cross-functional", "kpi", "go-live", "the", "team"]),
                max_size=25))
def test_cue_soup_gives_valid_results(words: list[str]) -> None:
    result = rolecell.classify(" ".join(words))
    assert result.role in Role
    if result.role is Role.UNCLEAR:
        assert result.confidence <= 0.5
