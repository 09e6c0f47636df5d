"""Reading a register from rows of cell values: the same for files and live workbooks."""

from __future__ import annotations

import datetime as dt

import pytest

from rolecell import Role
from rolecell.table import (
    cell_text,
    column_letter,
    find_header,
    list_problems,
    parse_date,
    parse_hours,
    parse_override,
    read_rows,
)


@pytest.mark.parametrize("number, letters", [(1, "A"), (26, "Z"), (27, "AA"), (703, "AAA")])
def test_column_letters(number: int, letters: str) -> None:
    assert column_letter(number) == letters


@pytest.mark.parametrize("value, text", [(None, ""), (3.0, "3"), (2.5, "2.5"), (True, "TRUE"),
                                         (dt.datetime(2027, 1, 2), "2027-01-02"),
                                         ("  padded  ", "padded"), ("=1+1", "=1+1")])
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize("value, hours", [(None, None), ("", None), (6, 6.0), ("2,5", 2.5),
                                          ("6h", 6.0), (0, 0.0), (168, 168.0)])
def test_hours(value: object, hours: float | None) -> None:
    assert parse_hours(value) == hours


@pytest.mark.parametrize("value, reason", [(-3, "-3 is negative"), ("lots", "'lots' is not"),
                                           (200, "more than the 168 hours"),
                                           ("#N/A", "holds the error #N/A"),
                                           (True, "is not a number"),
                                           (float("nan"), "is not a number")])
def test_bad_hours_say_why(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_hours(value)


@pytest.mark.parametrize("value, day", [
    (dt.date(2027, 3, 1), dt.date(2027, 3, 1)), (dt.datetime(2027, 3, 1, 9), dt.date(2027, 3, 1)),
    ("2027-03-01", dt.date(2027, 3, 1)), ("2027-03-01T00:00:00.000Z", dt.date(2027, 3, 1)),
    (46445, dt.date(2027, 2, 27)), (46445.75, dt.date(2027, 2, 27)), (None, None),
])
def test_dates_from_cells_text_and_serial_numbers(value: object, day: dt.date | None) -> None:
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["next week", -5, "31/02/2027", True])
def test_bad_dates_say_why(value: object) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(value)


def test_overrides_accept_common_spellings() -> None:
    assert parse_override("ops") is Role.OPERATIONS
    assert parse_override(" Project Manager ") is Role.PROJECT
    assert parse_override("") is None
    with pytest.raises(ValueError, match="'maybe' is not a role"):
        parse_override("maybe")


def test_header_found_below_a_title_with_synonyms() -> None:
    rows = [["Acme"], [], ["Team", "Duty", "Hrs/wk", "Due date", "Misc"]]
    assert find_header(rows) == (2, {"area": 0, "text": 1, "hours": 2, "end": 3})
    assert find_header([["Name", "Cost"]]) is None


def test_rows_read_with_every_bad_cell_named_where_the_user_sees_it() -> None:
    headers = ["Task", "Hours", "Start", "End", "Notes"]
    mapping = {"text": 0, "hours": 1, "start": 2, "end": 3}
    rows = [["Weekly count", 4, None, None, "x"],
            [None, None, None, None, None],
            ["Launch app", -1, "2027-05-01", "2027-01-01", None]]
    found, problems = read_rows(rows, mapping, headers, first_row=10, first_column=3)
    assert [r.text for r in found] == ["Weekly count", "Launch app"]
    assert [r.row for r in found] == [10, 12]
    assert found[0].extra == {"Notes": "x"}
    assert found[1].hours is None and found[1].end is None
    assert problems == ["cell D12 (Hours): -1 is negative; hours per week must be 0 or more",
                        "cell F12 (End): ends (2027-01-01) before it starts (2027-05-01)"]


def test_long_problem_lists_are_cut() -> None:
    text = list_problems([f"p{i}" for i in range(20)])
    assert text.count("\n") == 15 and text.endswith("... and 5 more")


def test_rule_rows() -> None:
    from rolecell import Side
    from rolecell.table import RuleCellError, rule_from_cells

    rule = rule_from_cells("SOX walkthroughs", "ops", None, "")
    assert (rule.phrase, rule.side, rule.weight, rule.dimension) == \
        ("SOX walkthroughs", Side.OPERATIONS, 2.0, "way_of_working")
    assert rule_from_cells("", "Project", 1, None) is None
    for cells, field in [(("x", "sideways", 1, None), "side"), (("x", "PM", "big", None), "weight"),
                         (("x", "PM", 1, "colour"), "dimension")]:
        with pytest.raises(RuleCellError) as error:
            rule_from_cells(*cells)
        assert error.value.field == field
