"""Domain exceptions and problems reported to users.

A :class:`Problem` names where (a JSON path, ``sheet!cell`` or file) and why, in Chinese
and English. Parsers collect every problem before they raise :class:`InvalidInput`, so a
user sees all of them in one run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        text = self.en if lang.startswith("en") else self.zh
        return f"{self.path}: {text}" if self.path else text

    def bilingual(self) -> str:
        return f"{self.path}: {self.zh} / {self.en}" if self.path else f"{self.zh} / {self.en}"

    def to_json(self) -> dict:
        return {"path": self.path, "zh": self.zh, "en": self.en}


class InvalidInput(Exception):
    """Raised with every problem found in an input (tender, bid, panel)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.bilingual() for p in self.problems))


class Problems:
    """Collects problems while a parser walks its input."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, zh: str, en: str) -> None:
        self.items.append(Problem(path, zh, en))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(self.items)
