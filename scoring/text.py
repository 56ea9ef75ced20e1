"""One bilingual text value: what the domain says to people, in Chinese and in English.

Pages and reports pick one language (:meth:`Text.get`); nothing joins the two into one
string to split it again later.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def __str__(self) -> str:
        return self.zh
