"""Language selection and bilingual domain texts.

Chinese (zh_CN) is the default; English the second language. A signed-in user's choice is
stored on the user, an anonymous visitor's in the session. Texts that come from the
domain (``scoring`` labels and :class:`~scoring.Problem` messages) carry both languages;
:func:`pick` chooses the one for the current user.
"""

from __future__ import annotations

from flask import current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def select_locale() -> str:
    code = current_app.config["BABEL_DEFAULT_LOCALE"]
    if has_request_context():
        chosen = session.get("lang")
        if current_user and current_user.is_authenticated and current_user.locale:
            chosen = current_user.locale
        if chosen in current_app.config["LANGUAGES"]:
            code = chosen
    return code


def is_english() -> bool:
    return str(get_locale() or "zh_CN").startswith("en")


def pick(zh, en: str | None = None) -> str:
    """The domain text in the current language: ``pick(text)`` for a :class:`scoring.text.Text`
    (or its ``{"zh": …, "en": …}``), ``pick(zh, en)`` for two strings."""
    if en is None and hasattr(zh, "get"):
        if isinstance(zh, dict):
            return (zh.get("en") or zh.get("zh") or "") if is_english() else (zh.get("zh") or "")
        return zh.get("en" if is_english() else "zh")
    return (en or zh) if is_english() else zh


def problem_text(problem, with_path: bool = True) -> str:
    """A scoring Problem in the current language, with where it is unless told otherwise
    (leave the path out where it is a data path and the message names its place itself)."""
    text = pick(problem.zh, problem.en)
    return f"{problem.path}: {text}" if with_path and problem.path else text
