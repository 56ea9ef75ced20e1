"""The month's actuals workbook (本月实际业务量与 KPI): the template the contract page offers,
and the reader of the filled file (.xlsx, or the same rows as .csv).

One sheet, one row per figure: 项目 / 代码 (code) / 本月实际 (value) / 招标基准或目标 (the
scenario's figure or the KPI's target, for reference). Codes: ``month``, the §14 ``actual``
fields, ``work:<item id>`` and ``kpi:<KPI id>``. A row is found by its code wherever it is
(rows may be moved, a CSV may hold just ``code,value``); its value is the cell after the
code. A value left blank takes the scenario's figure (a KPI left blank is "not reported").
The file is distrusted like every upload (size, extension, the zip checks of
:mod:`tender.documents.upload_check`); each value that cannot be read is a problem at its
cell (``本月实际!C7``, or ``C7`` in a CSV), and so is each value the engine refuses
(:func:`scoring.settlement.parse_month`) — nothing is guessed.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from scoring.errors import InvalidInput, Problem
from scoring.money import plain
from scoring.settlement import ACTUAL_FIELDS, ContractTerms, MonthActuals, parse_month
from tender.documents import sheet_style as style
from tender.documents.cells import (
    CellValueError,
    clean_text,
    is_blank,
    parse_quantity,
    parse_share,
    shown,
)
from tender.documents.upload_check import UploadRefused
from tender.documents.volume_upload import _rows as file_rows

SHEET = "本月实际"
SHARES = {"returning_share"}


def _rows_of(terms: ContractTerms) -> list[tuple[str, str, str, str]]:
    """(code, zh, en, reference) for every row of the sheet."""
    s = terms.scenario
    reference = {
        "daily_inquiries": plain(s.daily_inquiries),
        "days": plain(s.days_per_month),
        "returning_share": plain(s.returning_share),
        "cs_sales": plain(s.cs_sales_per_month),
        "agents_per_shift": plain(s.agents_per_shift),
        "peak_days": "0",
    }
    rows = [(name, zh, en, reference[name]) for name, (_lo, _hi, zh, en) in ACTUAL_FIELDS.items()]
    for item in s.work_items:
        rows.append(
            (
                f"work:{item.id}",
                f"{item.name}（{item.unit or '件'}）",
                f"{item.name} ({item.unit or 'units'})",
                plain(item.monthly_quantity),
            )
        )
    for kpi in terms.kpis:
        rows.append((f"kpi:{kpi.id}", kpi.name, kpi.name, kpi.target_text()))
    return rows


def build_template(terms: ContractTerms, month: str, *, title: str = "", lang: str = "zh") -> bytes:
    """The workbook the buyer fills for ``month``: the scenario's figures filled in as a start."""
    en = lang == "en"
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    style.title(
        ws,
        (title + " — " if title else "") + ("Actuals of the month" if en else "本月实际业务量与 KPI"),
        "Fill column C; a blank figure takes the tender scenario's, a blank KPI is 'not reported'. "
        "Shares as 0.35 or 35%."
        if en
        else "请填写 C 列；业务量留空按招标基准计，KPI 留空视为未报告。比例可写 0.35 或 35%。",
        4,
    )
    for column, text in enumerate(
        (
            "Item" if en else "项目",
            "Code" if en else "代码",
            "Actual" if en else "本月实际",
            "Tender figure or target" if en else "招标基准或目标",
        ),
        start=1,
    ):
        style.header(ws.cell(row=3, column=column, value=text))
    rows = [("month", "结算月份（YYYY-MM）", "Month (YYYY-MM)", month)] + _rows_of(terms)
    for number, (code, zh, en_label, reference) in enumerate(rows, start=4):
        style.readonly(ws.cell(row=number, column=1, value=en_label if en else zh))
        style.code(ws.cell(row=number, column=2, value=code))
        value = (
            month if code == "month" else (reference if not code.startswith("kpi:") and code != "peak_days" else None)
        )
        cell = ws.cell(row=number, column=3, value=_cell_value(value))
        style.input_cell(cell)
        style.readonly(ws.cell(row=number, column=4, value=reference))
    style.fit_columns(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_value(value):
    if value is None or not isinstance(value, str):
        return value
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    return int(number) if number == number.to_integral_value() else float(number)


def read_actuals(filename: str, data: bytes, terms: ContractTerms, month: str) -> MonthActuals:
    """The month's actuals from the filled file; :class:`InvalidInput` with each problem at its cell."""
    try:
        rows, where = file_rows(filename, data)
    except UploadRefused as refused:
        raise InvalidInput([refused.problem]) from None
    at = where or (lambda row, column: f"{get_column_letter(column + 1)}{row + 1}")
    codes = {code: (zh, en) for code, zh, en, _ref in _rows_of(terms)}
    codes["month"] = ("结算月份", "month")
    problems: list[Problem] = []
    found: dict[str, tuple[object, str]] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            code = clean_text(cell) if isinstance(cell, str) else None
            if code and code.startswith(("kpi:", "work:")) and code not in codes:
                listed = ", ".join(c for c in codes if c.startswith(code.split(":")[0] + ":")) or "—"
                problems.append(
                    Problem(
                        at(r, c),
                        f"招标文件没有代码 {code}（可用：{listed}）",
                        f"the tender has no {code} (it has: {listed})",
                    )
                )
                break
            if code in codes:
                value = row[c + 1] if c + 1 < len(row) else None
                if code in found:
                    problems.append(Problem(at(r, c), f"代码 {code} 出现了两次", f"the code {code} appears twice"))
                found[code] = (value, at(r, c + 1))
                break
    month_json: dict = {"month": month, "actual": {}, "kpis": {}}
    cells: dict[str, str] = {}
    for code, (value, cell) in found.items():
        zh, en = codes[code]
        if code == "month":
            if not is_blank(value) and _month_text(value) != month:
                problems.append(
                    Problem(
                        cell,
                        f"文件中的结算月份为 {shown(value)}，与所选月份 {month} 不符",
                        f"the file is for {shown(value)}, not the month chosen, {month}",
                    )
                )
            continue
        if is_blank(value):
            if code.startswith("kpi:"):
                month_json["kpis"][code[4:]] = None
            continue
        try:
            number = parse_share(value) if code in SHARES or code.startswith("kpi:") else parse_quantity(value)
        except CellValueError as error:
            problems.append(Problem(cell, f"{zh}：{error.zh}", f"{en}: {error.en}"))
            continue
        if code.startswith("kpi:"):
            month_json["kpis"][code[4:]] = str(number)
            cells[f"kpis.{code[4:]}"] = cell
        elif code.startswith("work:"):
            month_json["actual"].setdefault("work_quantities", {})[code[5:]] = str(number)
            cells[f"actual.work_quantities.{code[5:]}"] = cell
        else:
            month_json["actual"][code] = str(number)
            cells[f"actual.{code}"] = cell
    if not found:
        problems.append(
            Problem(
                filename or "upload",
                "文件中找不到任何代码行（请使用合同页面提供的模板）",
                "no row of the file has a code (use the template the contract page offers)",
            )
        )
    if problems:
        raise InvalidInput(problems)
    try:
        return parse_month(month_json, kpis=terms.kpis, scenario=terms.scenario)
    except InvalidInput as error:
        raise InvalidInput([Problem(cells.get(p.path, p.path), p.zh, p.en) for p in error.problems]) from None


def _month_text(value) -> str:
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    return clean_text(str(value))[:7]


def month_json(actuals: MonthActuals) -> dict:
    """The ``month.json`` of §14 for stored actuals (what ``tender settle`` reads)."""
    actual = {name: str(getattr(actuals, name)) for name in ACTUAL_FIELDS if getattr(actuals, name) is not None}
    if actuals.work_quantities:
        actual["work_quantities"] = {k: str(v) for k, v in actuals.work_quantities}
    return {
        "month": actuals.month,
        "actual": actual,
        "kpis": {k: None if v is None else str(v) for k, v in actuals.kpis},
    }
