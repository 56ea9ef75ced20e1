"""The message catalogues: extract the UI strings and compile ``.po`` to ``.mo``.

``make`` runs ``pybabel compile``; :func:`compile_catalogues` does the same from Python
(tests call it so ``pytest`` alone works). :func:`extracted_messages` lists every string
the templates and code mark for translation, for the completeness test.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def catalogue_paths() -> dict[str, Path]:
    return {po.parent.parent.name: po for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))}


def compile_catalogues(force: bool = False) -> None:
    for po_path in catalogue_paths().values():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


def read_catalogue(locale: str):
    with catalogue_paths()[locale].open("rb") as handle:
        return read_po(handle)


def extracted_messages() -> dict[str, str]:
    """msgid → where it was found, for every translatable string of code and templates."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found
