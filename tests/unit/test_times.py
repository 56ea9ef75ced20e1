"""One reader of written times for files and forms (scoring/times.py): a time without an
offset is Asia/Shanghai time, an explicit offset is kept, nothing is None."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.times import SHANGHAI, parse_time

UTC = dt.UTC


@pytest.mark.parametrize(
    "written, instant_utc",
    [
        ("2026-12-20T17:00:00+08:00", dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)),
        ("2026-12-20T17:00", dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)),  # a form's value: Shanghai
        ("2026-12-20 17:00", dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)),  # typed with a space
        ("2026-12-20T09:00:00Z", dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)),  # UTC, written as Z
        (" 2026-12-20T17:00:00+08:00 ", dt.datetime(2026, 12, 20, 9, 0, tzinfo=UTC)),
    ],
)
def test_a_written_time_is_read_as_the_instant_it_names(written, instant_utc):
    assert parse_time(written) == instant_utc


def test_without_an_offset_the_time_is_shanghai_time_and_keeps_that_offset():
    moment = parse_time("2026-12-20T17:00")
    assert moment.utcoffset() == dt.timedelta(hours=8) and moment.tzinfo is SHANGHAI


@pytest.mark.parametrize("nothing", [None, "", "   "])
def test_nothing_written_is_no_time(nothing):
    assert parse_time(nothing) is None


@pytest.mark.parametrize("wrong", ["20.12.2026 17:00", "tomorrow", "2026-13-01T00:00"])
def test_anything_else_is_refused(wrong):
    with pytest.raises(ValueError):
        parse_time(wrong)
