"""Reading a vendor's bid document (投标文件, .docx): its headings, the tender's required
sections it lacks, and the facts it states in tables, checked against the declared ones.

Headings are paragraphs in a Heading/标题 style or with an outline level, and short
numbered titles (``一、服务方案``, ``第三章 培训体系``, ``2.1 人员配置``). Facts are label |
value rows of any table (``注册资本 | 500万元``), also label | value | label | value rows
and a header row over a value row. Reading never raises: an unreadable file is a problem.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn

from scoring.errors import Problem
from scoring.facts import STANDARD_FACTS, normalize_code
from tender.documents import cells, layout
from tender.documents.upload_check import PARSER_ERRORS, UploadRefused, check_package

# How bid documents label the facts, beyond the labels of domain §5.
FACT_LABELS = {
    "company_name": ("公司名称", "供应商名称", "投标人名称", "投标人", "单位名称", "企业名称"),
    "registered_capital": ("注册资本", "注册资金"),
    "established": ("成立日期", "成立时间", "注册日期"),
    "years_in_business": ("经营年限",),
    "staff_count": ("员工人数", "员工总数", "职工人数", "从业人数", "员工数量"),
    "agents_available": ("可派客服人数", "客服人数", "可派坐席数"),
    "similar_projects": ("同类项目", "同类项目数量", "类似项目", "同类项目业绩", "类似项目业绩"),
    "independent_legal_person": ("独立法人", "独立法人资格"),
}
_NUMBERED = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇]|[一二三四五六七八九十]+[、.．]"
    r"|[(（][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*(?:[、．]|\.(?!\d)|\s))\s*\S"
)
_NUMBER_PREFIX = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇]|[一二三四五六七八九十]+[、.．]"
    r"|[(（][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[、.．]?)\s*"
)
_MAX_TITLE = 40


@dataclass
class DocumentReading:
    headings: list[str] = field(default_factory=list)
    missing_sections: list[str] = field(default_factory=list)
    stated_facts: dict = field(default_factory=dict)
    mismatches: list[tuple[str, object, object]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_bid_document(data: bytes, *, required_sections: list[str], declared_facts: dict) -> DocumentReading:
    """Headings, missing required sections, facts stated in tables and their mismatches."""
    reading = DocumentReading()
    try:
        check_package(data, kind="document")
        document = docx.Document(io.BytesIO(data))
        reading.headings = _headings(document)
        tables = _all_tables(document)
    except UploadRefused as refused:
        reading.problems.append(refused.problem)
        tables = []
    except (OpcError, *PARSER_ERRORS):
        reading.problems.append(
            Problem(
                "",
                "无法读取此 Word 文件（文件已损坏或不是 .docx 文档）",
                "this Word file cannot be read (it is damaged or not a .docx document)",
            )
        )
        tables = []
    reading.missing_sections = [
        name for name in required_sections if not any(section_key(name) in section_key(h) for h in reading.headings)
    ]
    reading.stated_facts = _stated_facts(tables, reading.problems)
    reading.mismatches = _mismatches(reading.stated_facts, declared_facts)
    return reading


def section_key(text: str) -> str:
    """A heading as compared: no numbering, no spaces or punctuation (一、服务方案 → 服务方案)."""
    text = _NUMBER_PREFIX.sub("", cells.clean_text(text))
    return re.sub(r"[\W_]+", "", text).lower()


def _headings(document) -> list[str]:
    found = []
    for paragraph in document.paragraphs:
        text = cells.clean_text(paragraph.text)
        if text and _is_heading(paragraph, text):
            found.append(text)
    return found


def _is_heading(paragraph, text: str) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    style = style.lower()
    if style.startswith(("toc", "目录")):
        return False  # a table of contents lists sections without containing them
    if style.startswith(("heading", "标题", "title")):
        return True
    properties = paragraph._p.pPr
    level = properties.find(qn("w:outlineLvl")) if properties is not None else None
    if level is not None and (level.get(qn("w:val")) or "9").strip() in "012345678":
        return True
    return len(text) <= _MAX_TITLE and bool(_NUMBERED.match(text)) and not re.search(r"[。；;，,：:]$", text)


def _all_tables(document) -> list:
    tables, pending = [], list(document.tables)
    while pending and len(tables) < 500:
        table = pending.pop(0)
        tables.append(table)
        for row in table.rows:
            for cell in row.cells:
                pending.extend(cell.tables)
    return tables


def _label_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, fact in STANDARD_FACTS.items():
        for label in (fact.zh, fact.en, *FACT_LABELS.get(name, ())):
            index.setdefault(_label(label)[0], name)
    return index


def _label(text: str) -> tuple[str, str]:
    """A label without its unit in brackets, and that unit: ``注册资本（万元）`` → (注册资本, 万元)."""
    text = cells.clean_text(text)
    unit = ""
    bracket = re.search(r"\(([^()]*)\)", text)
    if bracket:
        unit = bracket[1].strip()
        text = text[: bracket.start()] + text[bracket.end() :]
    return re.sub(r"[\s:：*]", "", text).lower(), unit


_LABELS = _label_index()


def _row_texts(row) -> list[str]:
    texts, previous = [], None
    for cell in row.cells:
        if previous is not None and cell._tc is previous:
            continue  # a merged cell repeats across the grid columns it spans
        previous = cell._tc
        texts.append(cells.clean_text(cell.text))
    return texts


def _stated_facts(tables: list, problems: list[Problem]) -> dict:
    facts: dict = {}
    for t, table in enumerate(tables, start=1):
        try:
            rows = [_row_texts(row) for row in table.rows]
        except PARSER_ERRORS:
            continue
        header: list[tuple[str, str] | None] | None = None
        for r, texts in enumerate(rows, start=1):
            where = f"table {t}, row {r}"
            labels = [_label(text) for text in texts]
            named = [_LABELS.get(key) for key, _unit in labels]
            if header is not None:
                for column, entry in enumerate(header):
                    if entry and column < len(texts) and texts[column]:
                        _state(facts, problems, entry[0], texts[column], entry[1], where, t, r)
                header = None
            if len(named) >= 2 and all(named):
                header = [(name, unit) for name, (_key, unit) in zip(named, labels)]
                continue
            column = 0
            while column < len(texts) - 1:
                name = named[column]
                if name and texts[column + 1] and not named[column + 1]:
                    _state(facts, problems, name, texts[column + 1], labels[column][1], where, t, r)
                    column += 2
                else:
                    column += 1
    return facts


def _state(facts: dict, problems: list[Problem], name: str, text: str, unit: str, where: str, t: int, r: int) -> None:
    if name in facts:
        return
    try:
        facts[name] = _value(name, text, unit)
    except cells.CellValueError as error:
        fact = STANDARD_FACTS[name]
        problems.append(
            Problem(where, f"表格{t}第{r}行“{fact.zh}”{error.zh}", f"table {t}, row {r}, {fact.en}: {error.en}")
        )


def _value(name: str, raw, unit: str = ""):
    """A fact's value read into its kind (as the workbook reader does); a label's unit
    (``注册资本（万元）``) scales a bare number."""
    kind = STANDARD_FACTS[name].kind
    if kind == "money":
        amount = cells.parse_amount(raw)
        if unit in ("万元", "万") and not re.search(r"[万亿元]", str(raw)):
            amount *= 10000
        return amount
    if kind in ("number", "integer"):
        return cells.parse_quantity(raw, (*cells.COUNT_UNITS, *layout.FACT_UNITS.get(name, ())))
    if kind == "share":
        return cells.parse_share(raw)
    if kind == "bool":
        return cells.parse_bool(raw)
    if kind == "date":
        return cells.parse_date(raw)
    if kind == "set":
        items = raw if isinstance(raw, (list, tuple, set)) else cells.parse_list(raw)
        return sorted({normalize_code(item) for item in items})
    return cells.clean_text(raw)


def _mismatches(stated: dict, declared: dict) -> list[tuple[str, object, object]]:
    """Facts the document states differently from the declaration: (fact, declared, found)."""
    found = []
    for name, value in stated.items():
        if declared.get(name) is None:
            continue
        try:
            same = _comparable(name, declared[name]) == _comparable(name, value)
        except cells.CellValueError:
            same = False
        if not same:
            found.append((name, declared[name], value))
    return found


def _comparable(name: str, value):
    value = _value(name, value)
    if isinstance(value, str):  # company names: 杭州云客服（科技） equals 杭州云客服(科技)
        return re.sub(r"\s", "", value).lower()
    return value
