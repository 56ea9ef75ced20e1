"""The lifecycle has one home: no code or template outside ``scoring/lifecycle.py`` compares a
tender's status with a state's name — it asks the lifecycle (``tender.may("amend")``,
``tender.readable("results", "buyer")``, ``lifecycle.after("open")``).

Reads the source files only: it imports neither the app nor Flask.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoring.lifecycle import STATES

ROOT = Path(__file__).resolve().parents[2]
NAMES = "|".join(STATES)
LITERAL = rf"""['"](?:{NAMES})['"]"""
COMPARISONS = [
    re.compile(r"(?:==|!=)\s*" + LITERAL),  # status == "opened"
    re.compile(LITERAL + r"\s*(?:==|!=)"),  # "opened" == status
    re.compile(r"(?:\bin|\.in_|\.notin_)\s*[\(\[\{][^\)\]\}]*" + LITERAL),  # status in ("opened", …)
    re.compile(r"[\(\[\{]\s*" + LITERAL + r"\s*,\s*" + LITERAL),  # a tuple of states of one's own
]


def comparisons_of_states(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every comparison with a state's name in ``text``."""
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if any(pattern.search(line) for pattern in COMPARISONS)
    ]


def test_the_check_finds_the_comparisons_it_is_meant_to_find():
    found = comparisons_of_states(
        "\n".join(
            [
                'if tender.status == "opened":',
                "{% if status in ('published', 'closed') %}",
                'FINAL = ("evaluated", "awarded", "failed")',
                '.where(Tender.status.notin_(("draft", "cancelled")))',
                "if job.failed:",  # not a state name
                'tender.status = lifecycle.after("open")',  # a transition the lifecycle names
                '"draft": _l("Draft"),',  # a label, not a comparison
            ]
        )
    )
    assert [number for number, _line in found] == [1, 2, 3, 4]


def test_no_status_is_compared_outside_the_lifecycle():
    files = [*sorted((ROOT / "tender").rglob("*.py")), *sorted((ROOT / "templates").rglob("*.html"))]
    assert len(files) > 50  # the walk found the app (a wrong root would pass vacuously)
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in files
        for number, line in comparisons_of_states(path.read_text(encoding="utf-8"))
    ]
    assert not found, "ask scoring.lifecycle instead of comparing statuses:\n" + "\n".join(found)
