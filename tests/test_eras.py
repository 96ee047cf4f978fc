"""extractor.eras: Japanese era dates to ISO dates, with the first and last day they mean."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.eras import EraDate, find_eras, parse_era

D = date.fromisoformat

# (text, start, end, printed) of the first era date found.
ERA_CASES = [
    pytest.param("（令和６年４月改定）", "2024-04-01", "2024-04-30", "令和6年4月", id="reiwa-month-fullwidth"),
    pytest.param("R6.6", "2024-06-01", "2024-06-30", "R6.6", id="r-dot"),
    pytest.param("R６.６", "2024-06-01", "2024-06-30", "R6.6", id="r-dot-fullwidth-digits"),
    pytest.param("Ｒ６．６", "2024-06-01", "2024-06-30", "R6.6", id="r-dot-all-fullwidth"),
    pytest.param("R６年改正入所（1割・2割・3割）", "2024-01-01", "2024-12-31", "R6年", id="r-year-only"),
    pytest.param("平成30年", "2018-01-01", "2018-12-31", "平成30年", id="heisei-year"),
    pytest.param("業務継続計画未策定減算については令和7年4月1日から適用する。", "2025-04-01", "2025-04-01",
                 "令和7年4月1日", id="reiwa-day"),
    pytest.param("に行っている場合（令和7年度から）", "2025-04-01", "2026-03-31", "令和7年度", id="fiscal-year"),
    pytest.param("令和６年５月まで算定", "2024-05-01", "2024-05-31", "令和6年5月", id="until-month"),
    pytest.param("令和6年5月31日まで適用可能", "2024-05-31", "2024-05-31", "令和6年5月31日", id="until-day"),
    pytest.param("令和6年2月", "2024-02-01", "2024-02-29", "令和6年2月", id="leap-february"),
    pytest.param("令和元年10月", "2019-10-01", "2019-10-31", "令和元年10月", id="gannen"),
    pytest.param("H31.4", "2019-04-01", "2019-04-30", "H31.4", id="h-dot"),
    pytest.param("H31.4.30", "2019-04-30", "2019-04-30", "H31.4.30", id="h-dot-day"),
    pytest.param("R7.4.1施行", "2025-04-01", "2025-04-01", "R7.4.1", id="r-dot-day"),
    pytest.param("R6/10/1", "2024-10-01", "2024-10-01", "R6/10/1", id="r-slash-day"),
    pytest.param("令和 7 年 4 月", "2025-04-01", "2025-04-30", "令和 7 年 4 月", id="spaced"),
    pytest.param("昭和64年1月", "1989-01-01", "1989-01-31", "昭和64年1月", id="showa"),
    # A number after the year is a month only with 月 or after a separator.
    pytest.param("令和6年度 12単位", "2024-04-01", "2025-03-31", "令和6年度", id="fiscal-then-units"),
    pytest.param("令和6年\t10,000円", "2024-01-01", "2024-12-31", "令和6年", id="year-then-yen-cell"),
    pytest.param("R6 1,086単位", "2024-01-01", "2024-12-31", "R6", id="r-then-units"),
]


@pytest.mark.parametrize("s,start,end,printed", ERA_CASES)
def test_first_era(s, start, end, printed):
    first = find_eras(s)[0]
    assert (first.start, first.end, first.printed) == (D(start), D(end), printed)
    assert parse_era(s) == D(start)


@pytest.mark.parametrize("s,fields", [
    pytest.param("令和7年度", (2025, None, None, True), id="fiscal"),
    pytest.param("令和7年4月1日", (2025, 4, 1, False), id="day"),
    pytest.param("令和6年2月30日", (2024, 2, None, False), id="impossible-day-dropped"),
    pytest.param("令和6年13月", (2024, None, None, False), id="impossible-month-dropped"),
])
def test_era_fields(s, fields):
    e = find_eras(s)[0]
    assert (e.year, e.month, e.day, e.fiscal) == fields


@pytest.mark.parametrize("s", [
    pytest.param("居宅介護支援費(Ⅰ) 1,086単位", id="fee-line"),
    pytest.param("", id="empty"),
    pytest.param("PR6", id="ascii-word-pr6"),
    pytest.param("PR6.6", id="ascii-word-pr6-dot"),
    pytest.param("HR6.6", id="ascii-word-hr6"),
    pytest.param("R100", id="three-digit-year"),
    pytest.param("令和の時代", id="era-name-without-year"),
])
def test_no_era(s):
    assert find_eras(s) == []
    assert parse_era(s) is None


@pytest.mark.parametrize("s,starts", [
    pytest.param("対象期間:令和6年9月～令和7年2月", ["2024-09-01", "2025-02-01"], id="range-fullwidth-tilde"),
    pytest.param("令和6年4月〜令和7年3月31日", ["2024-04-01", "2025-03-31"], id="range-wave-dash"),
    pytest.param("R6.4-R7.3", ["2024-04-01", "2025-03-01"], id="r-range"),
    pytest.param("平成30年4月 令和元年10月 令和6年6月", ["2018-04-01", "2019-10-01", "2024-06-01"], id="three"),
])
def test_find_eras_in_order(s, starts):
    assert [e.start for e in find_eras(s)] == [D(x) for x in starts]


def test_range_ends():
    a, b = find_eras("令和6年9月～令和7年2月")
    assert (a.start, b.end) == (D("2024-09-01"), D("2025-02-28"))


@pytest.mark.parametrize("era,start,end", [
    pytest.param(EraDate(2024, None, None, False, "令和6年"), "2024-01-01", "2024-12-31", id="calendar-year"),
    pytest.param(EraDate(2024, None, None, True, "令和6年度"), "2024-04-01", "2025-03-31", id="fiscal-year"),
    pytest.param(EraDate(2024, 12, None, False, "令和6年12月"), "2024-12-01", "2024-12-31", id="december"),
    pytest.param(EraDate(2023, 2, None, False, "令和5年2月"), "2023-02-01", "2023-02-28", id="february"),
    pytest.param(EraDate(2025, 4, 1, False, "令和7年4月1日"), "2025-04-01", "2025-04-01", id="day"),
])
def test_era_date_bounds(era, start, end):
    assert (era.start, era.end) == (D(start), D(end))
