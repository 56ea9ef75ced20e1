"""The unified social credit code (统一社会信用代码, GB 32100-2015) of a vendor.

Eighteen characters from the code's own alphabet (digits and capitals without I, O, S, V,
Z): the registering authority and type, the region, the organization code and a check
character computed from the first seventeen. A mistyped character almost always breaks
the check, so the form catches it before a bid names the wrong company.
"""

from __future__ import annotations

from scoring.text import Text

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character for the first seventeen (GB 32100-2015, 4.3)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    """As people type it: surrounding and inner spaces dropped, lower case raised."""
    return "".join(code.split()).upper()


def credit_code_problem(code: str) -> Text | None:
    """Why ``code`` is not a valid unified social credit code, or None."""
    code = normalize(code)
    if len(code) != 18:
        return Text(
            f"统一社会信用代码应为 18 位，实为 {len(code)} 位",
            f"a unified social credit code has 18 characters, this one has {len(code)}",
        )
    wrong = sorted({char for char in code if char not in ALPHABET})
    if wrong:
        shown = "、".join(wrong)
        return Text(
            f"统一社会信用代码不能含有字符 {shown}（不使用 I、O、S、V、Z）",
            f"a unified social credit code cannot contain {', '.join(wrong)} (I, O, S, V and Z are not used)",
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return Text(
            f"统一社会信用代码校验位不符：第 18 位应为 {expected}，请核对是否输错",
            f"the check character does not match: the 18th character should be {expected}; "
            f"please check for a typing mistake",
        )
    return None
