"""The words of each kind of notification: both languages say the same things, and a
notification reads in its reader's language at the time it is read."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from scoring.text import Text
from tender.notifications import kinds

LATER = (
    "explanation_requested",
    "explanation_received",
    "result_notice",
    "challenge_lodged",
    "challenge_answered",
    "vote_waiting",
    "signature_waiting",
)


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("name", sorted(kinds.KINDS))
def test_both_languages_of_a_kind_fill_the_same_values(name):
    kind = kinds.KINDS[name]
    assert fields(kind.subject.zh) == fields(kind.subject.en), name
    assert fields(kind.text.zh) == fields(kind.text.en), name
    assert "tender" in kind.params  # every kind names the tender it is about


def test_the_kinds_the_panel_and_the_bidders_will_send_are_ready():
    assert set(LATER) <= set(kinds.KINDS)
    assert kinds.missing_params("vote_waiting", {"tender": "T"}) == ["proposal"]
    assert kinds.missing_params("challenge_lodged", {"tender": "T"}) == ["answer_by", "vendor"]


def test_a_notification_reads_in_the_language_of_whoever_reads_it():
    # 2026-12-18 09:00 UTC is 17:00 in Shanghai
    stored = {
        key: kinds.stored(value)
        for key, value in {
            "tender": "云裳旗舰店 电商客服外包服务项目",
            "version": 2,
            "note": "日均咨询量改为 900",
            "deadline": dt.datetime(2026, 12, 18, 9, 0, tzinfo=dt.UTC),
        }.items()
    }
    assert stored["deadline"] == {"at": "2026-12-18T09:00:00+00:00"}
    zh = kinds.text("amendment", stored, "zh")
    en = kinds.text("amendment", stored, "en")
    assert "（第 2 版）：日均咨询量改为 900。投标截止时间：2026-12-18 17:00 (UTC+8 Asia/Shanghai)。" in zh
    assert en.startswith("The tender “云裳旗舰店 电商客服外包服务项目” you have bid on was amended (version 2)")
    assert kinds.subject("amendment", stored, "en") == "Tender amended: 云裳旗舰店 电商客服外包服务项目"


def test_a_bilingual_value_gives_each_reader_its_half():
    params = {"tender": "T", "outcome": kinds.stored(Text("不予支持", "not upheld"))}
    assert kinds.text("challenge_answered", params, "zh").endswith("：不予支持。")
    assert kinds.text("challenge_answered", params, "en").endswith(": not upheld.")


def test_a_value_that_looks_like_a_template_is_shown_as_typed():
    params = {"tender": "T", "version": 3, "note": "{deadline} 改为下周", "deadline": None}
    assert "：{deadline} 改为下周。" in kinds.text("amendment", params, "zh")


def test_an_unknown_kind_and_a_naive_time_are_refused():
    with pytest.raises(kinds.UnknownKind):
        kinds.kind("no_such_kind")
    with pytest.raises(ValueError):
        kinds.stored(dt.datetime(2026, 12, 18, 17, 0))
