"""Every UI string is in both catalogues, translated into Chinese; pages switch language."""

from __future__ import annotations

from tender.platform.catalogues import extracted_messages, read_catalogue


def test_every_marked_string_is_translated_into_chinese():
    found = extracted_messages()
    catalogue = read_catalogue("zh_CN")
    missing = sorted(
        f"{where}: {msgid!r}"
        for msgid, where in found.items()
        if catalogue.get(msgid) is None or not catalogue.get(msgid).string
    )
    assert not missing, "not translated in zh_CN (run `make catalogues`, then translate):\n" + "\n".join(missing)


def test_every_marked_string_is_in_the_english_catalogue():
    found = extracted_messages()
    catalogue = read_catalogue("en")
    missing = sorted(msgid for msgid in found if catalogue.get(msgid) is None)
    assert not missing, "missing from the en catalogue (run `make catalogues`):\n" + "\n".join(missing)


def test_placeholders_survive_translation():
    catalogue = read_catalogue("zh_CN")
    import re

    for message in catalogue:
        if message.id and message.string:
            assert sorted(re.findall(r"%\(\w+\)s", message.id)) == sorted(re.findall(r"%\(\w+\)s", message.string)), (
                message.id
            )


def test_times_are_shown_in_shanghai_with_the_zone_and_amounts_with_separators():
    import datetime as dt

    from tender.platform.timefmt import show_money, show_time

    assert show_time(dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.UTC)) == "2026-12-20 17:00 (UTC+8 Asia/Shanghai)"
    assert show_money("52266.666") == "52,266.67"
    assert show_money(1500000) == "1,500,000.00"
