"""One bilingual text value: what the domain says to people, in Chinese and in English.

Every reason, status reason, score note, rule outcome and refusal the domain words is a
:class:`Text`; a page or a report shows one language with :meth:`Text.get`. Nothing joins
the two halves into one string to split it again later. The one place both stand side by
side is a file for machines and both readers at once: result.json keeps its ``reasons`` as
the strings of domain.md §8 (:meth:`Text.joined`, "中文 / English") and writes every other
text as ``{"zh": …, "en": …}`` (:meth:`Text.to_json`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    @classmethod
    def same(cls, text: str) -> Text:
        """A text that reads the same in both languages (a name, a number)."""
        return cls(text, text)

    def get(self, lang: str = "zh") -> str:
        """The text in ``lang`` ("zh", "zh_CN", "en" …); Chinese unless English is asked for."""
        return self.en if str(lang).lower().startswith("en") else self.zh

    def __str__(self) -> str:
        return self.zh

    def joined(self) -> str:
        """Both halves in one line, for result.json's ``reasons`` and the command line."""
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"

    def to_json(self) -> dict:
        return {"zh": self.zh, "en": self.en}

    def __add__(self, other: Text) -> Text:
        return Text(self.zh + other.zh, self.en + other.en)

    @staticmethod
    def join(parts, zh_separator: str, en_separator: str) -> Text:
        parts = list(parts)
        return Text(zh_separator.join(p.zh for p in parts), en_separator.join(p.en for p in parts))
