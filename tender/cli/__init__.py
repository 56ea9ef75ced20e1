"""The ``tender`` command line: evaluate bids offline, make a price-sheet template, and
look after the web app's data.

    tender evaluate TENDER.json BID.json|BID.xlsx ... [--panel PANEL.json] [--json RESULT.json]
                    [--xlsx REPORT.xlsx] [--docx REPORT.docx]
    tender template TENDER.json -o QUOTE.xlsx
    tender settle TENDER.json BID.json MONTH.json [--json SETTLEMENT.json] [--docx REPORT.docx]
    tender audit verify [--expect-head HASH] [--receipt RECEIPT.json]
    tender audit rekey
    tender backup DIR [--include-key] [--method sqlite|pg_dump|logical]
    tender restore DIR [--key-file DATA.key] [--audit-key-file AUDIT.key]

Exit status: 0 when the evaluation ran (whatever its status), 2 on invalid input, with
every problem listed on standard error — all files are checked in one run. A tender
divided into lots (§13) is evaluated lot by lot: the table of each lot, then the awards
across the lots; its reports are written one per lot (``REPORT-L1.xlsx``, …). ``audit
verify`` exits 1 when the chain is broken or a printed head is missing (``audit rekey``
when the chain it would convert is broken); ``backup`` and
``restore`` exit 2 when refused, and ``restore`` 1 when the restored bids cannot be
decrypted with the configured key. The data commands work on the database of the web app
(``DATABASE_URL``, the instance folder), as ``flask --app tender`` does.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
import unicodedata
from itertools import repeat
from pathlib import Path

from scoring import InvalidInput, Problem, evaluate, evaluate_lots, parse_bid, parse_panel, parse_tender
from scoring.lots import bids_for_lot
from scoring.money import Recurring
from tender.cli import operations, settle
from tender.documents import jsonfiles

EXIT_INVALID = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tender", description="电商客服外包招标 · customer-service outsourcing tenders"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    # Each command names the function that runs it (``set_defaults(run=...)``). The
    # offline commands need only scoring/ and the file readers; the data commands of
    # tender.cli.operations import the web app inside the function that runs them.
    ev = commands.add_parser("evaluate", help="评标 / evaluate bids against a tender")
    ev.add_argument("tender", type=Path, help="tender.json (domain §3)")
    # the bids' paths as text: a Path each is ~3 ms of 1,000 (they are only opened and named)
    ev.add_argument("bids", nargs="+", help="bid.json or a filled price-sheet workbook (.xlsx)")
    ev.add_argument("--panel", type=Path, help="panel.json: evaluators' scores and decisions")
    ev.add_argument("--json", type=Path, dest="json_out", help="write result.json here")
    ev.add_argument("--xlsx", type=Path, help="write the Excel scoring report here")
    ev.add_argument("--docx", type=Path, help="write the Word evaluation report here")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the table and reports")
    ev.set_defaults(run=_evaluate)
    tp = commands.add_parser("template", help="报价单模板 / make the price-sheet template of a tender")
    tp.add_argument("tender", type=Path)
    tp.add_argument("-o", "--output", type=Path, required=True)
    tp.set_defaults(run=_template)
    settle.add_command(commands)
    operations.add_commands(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InvalidInput as error:
        _report(error.problems)
        return EXIT_INVALID


def _report(problems: list[Problem]) -> None:
    print(f"输入有误，共 {len(problems)} 处 / {len(problems)} problem(s) in the input:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem.bilingual()}", file=sys.stderr)


def load_tender(path: Path):
    raw = jsonfiles.load(path)
    return raw, parse_tender(raw)


def _is_workbook(path: Path | str) -> bool:
    return os.path.splitext(os.path.basename(path))[1].lower() == ".xlsx"


def load_bid(path: Path | str, tender, raw_tender):
    """A bid from ``bid.json`` or from a filled workbook made from this tender's template."""
    if _is_workbook(path):
        path = Path(path)
        from tender.documents.quote_reader import read_quote

        try:
            data = path.read_bytes()
        except OSError as error:
            raise InvalidInput(
                [Problem(str(path), f"无法读取：{error.strerror}", f"cannot be read: {error.strerror}")]
            ) from error
        reading = read_quote(data, tender=raw_tender, tender_id=jsonfiles.fingerprint(raw_tender), version=1)
        if reading.problems:
            raise InvalidInput([Problem(f"{path.name}: {p.path}", p.zh, p.en) for p in reading.problems])
        raw = reading.bid
    else:
        raw = jsonfiles.load(path)
    return parse_bid(raw, tender, source=os.path.basename(path))


def _within(path: Path, problems: list[Problem]) -> list[Problem]:
    """Name the file a problem is in, unless the problem already does."""
    return [
        p if p.path.startswith(str(path)) else Problem(f"{path.name}: {p.path}" if p.path else path.name, p.zh, p.en)
        for p in problems
    ]


def run() -> None:
    """The ``tender`` console command: :func:`main`, then the exit.

    After ``tender evaluate`` of a large tender (1,000 bids: ~1 million objects read, scored
    and written) the interpreter would spend ~0.05–0.1 s freeing them one by one before the
    process ends. The evaluation keeps them (:data:`_KEPT_UNTIL_EXIT`) and, with every output
    flushed and every file closed, the process leaves at once (``os._exit``): the operating
    system takes the memory back. The other commands exit as usual, so their connections
    and atexit handlers close as they should."""
    code = main()
    if not _KEPT_UNTIL_EXIT:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader of a pipe went away: nothing left to say
        code = code or 1
    os._exit(code)


# What ``tender evaluate`` read and built, left to the process's end (see :func:`run`).
_KEPT_UNTIL_EXIT: list = []


def _evaluate(args) -> int:
    # A short run that builds large trees of plain objects (1,000 bids: ~150,000 scores,
    # a 7 MB result) and no reference cycles: the cyclic garbage collector would only walk
    # them again and again (~0.1 s), so it is off for the run (as inside scoring.evaluate).
    gc.disable()
    try:
        return _evaluate_files(args)
    finally:
        gc.enable()


def _evaluate_files(args) -> int:
    problems: list[Problem] = []
    try:
        raw_tender, tender = load_tender(args.tender)
    except InvalidInput as error:
        problems.extend(_within(args.tender, error.problems))
        raw_tender = tender = None
    bids = []
    for path in args.bids:
        try:
            if tender is None:
                if not _is_workbook(path):
                    jsonfiles.load(path)  # still report broken files
                continue
            bids.append(load_bid(path, tender, raw_tender))
        except InvalidInput as error:
            problems.extend(error.problems)
    panel = raw_panel = None
    if args.panel:
        try:
            raw_panel = jsonfiles.load(args.panel)
            if tender is not None and len(bids) == len(args.bids):
                panel = parse_panel(raw_panel, tender, bids)
        except InvalidInput as error:
            problems.extend(_within(args.panel, error.problems))
    if problems:
        raise InvalidInput(problems)
    if tender.lots:
        return _evaluate_lots(args, tender, bids, panel)
    result = evaluate(tender, bids, panel) if panel else evaluate(tender, bids)
    data = result.to_json(bids=False)
    kept: list[dict] = []
    bid_parts = _bid_parts(result, kept)
    if args.json_out:
        jsonfiles.dump(data, args.json_out, streamed=("bids", bid_parts))
    else:
        for _part in bid_parts:
            pass
    data["bids"] = kept
    _KEPT_UNTIL_EXIT[:] = [raw_panel, bids, result, data]
    if args.xlsx or args.docx:
        from tender.reports import ReportContext, write_reports

        write_reports(result, xlsx=args.xlsx, docx=args.docx, lang=args.lang, context=ReportContext.for_bids(bids))
    print(ranking_table(data, lang=args.lang))
    return 0


# What the printed table reads of each bid's part of result.json (see :func:`ranking_table`).
TABLE_FIELDS = (
    "vendor",
    "valid",
    "rank",
    "model",
    "monthly_cost",
    "cost_per_inquiry",
    "first_monthly_cost",
    "contract_cost",
    "monthly_costs",
    "scores",
    "total",
    "flags",
    "reasons",
)


def _bid_parts(result, kept: list[dict]):
    """Each bid's part of result.json, made as it is written; what the table reads of it is
    kept in ``kept``, the rest let go (the notes and the evaluators' scores are ~90 % of the
    file: 1,000 bids' parts at once are ~15 MB of fresh memory)."""
    for bid in result.bids:
        part = bid.to_json(result.tender)
        yield part
        kept.append({field: part[field] for field in TABLE_FIELDS if field in part})


def _evaluate_lots(args, tender, bids, panel) -> int:
    result = evaluate_lots(tender, bids, panel) if panel else evaluate_lots(tender, bids)
    data = result.to_json()
    _KEPT_UNTIL_EXIT[:] = [panel, bids, result, data]
    if args.json_out:
        jsonfiles.dump(data, args.json_out)
    if args.xlsx or args.docx:
        from tender.reports import ReportContext, write_reports

        for item in result.lots:
            # Each lot's report is titled with the lot, so the two never pass for one another.
            title = f"{tender.title or ''}（标包 {item.lot.id}：{item.lot.name}）".lstrip()
            lot_result = dataclasses.replace(item.result, tender=dataclasses.replace(item.result.tender, title=title))
            write_reports(
                lot_result,
                xlsx=_lot_path(args.xlsx, item.lot.id),
                docx=_lot_path(args.docx, item.lot.id),
                lang=args.lang,
                context=ReportContext.for_bids(bids_for_lot(bids, item.lot)),
            )
    print(lots_table(data, lang=args.lang))
    return 0


def _lot_path(path: Path | None, lot_id: str) -> Path | None:
    """``report.xlsx`` → ``report-L1.xlsx``: one report per lot."""
    if path is None:
        return None
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in lot_id)
    return path.with_name(f"{path.stem}-{safe}{path.suffix}")


def _template(args) -> int:
    from tender.documents.quote_template import build_quote_template

    raw, _tender = load_tender(args.tender)
    content = build_quote_template(raw, tender_id=jsonfiles.fingerprint(raw), version=1)
    args.output.write_bytes(content)
    print(f"报价单模板已生成 / price-sheet template written: {args.output}")
    return 0


# --------------------------------------------------------------------------- table


def _char_width(ch: str) -> int:
    """A character's width in a terminal: 2 for wide and full-width."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


_char_widths = Recurring(_char_width)


def _width(text: str) -> int:
    if text.isascii():  # most cells: figures and ids
        return len(text)
    # the widths summed in C (map, sum): 1,000 vendors' names are measured twice each
    return sum(map(_char_widths.__getitem__, text))


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


STATUS = {"ok": ("评审完成", "final"), "pending": ("待定", "pending"), "failed": ("流标", "failed")}


def _table(header: list[str], rows: list[list], numeric) -> list[str]:
    rows = [list(map(str, row)) for row in rows]
    columns = list(zip(*rows)) or [()] * len(header)
    # A column of figures and ids (all but the vendors' names, usually) is ASCII: its width is
    # its length and str's own padding lays it out (1,000 rows × 25 columns).
    ascii_only = ["".join(column).isascii() for column in columns]
    widths = [
        max(_width(h), max(map(len if plain else _width, column), default=0))
        for h, column, plain in zip(header, columns, ascii_only)
    ]
    right = [i in numeric for i in range(len(header))]
    lines = [" ".join(_pad(h, w, r) for h, w, r in zip(header, widths, right))]
    lines.append(" ".join("-" * w for w in widths))
    # Padded column by column (str's own padding mapped in C over an ASCII column), then each
    # row joined: ~20,000 cells for 1,000 bids, without a Python step a cell.
    padded = [
        list(map(str.rjust if r else str.ljust, column, repeat(w))) if plain else [_pad(cell, w, r) for cell in column]
        for column, w, r, plain in zip(columns, widths, right, ascii_only)
    ]
    lines += map(" ".join, zip(*padded))
    return lines


def ranking_table(result: dict, lang: str = "zh") -> str:
    """The ranking as a terminal table: rank, vendor, model, monthly cost, scores, total;
    then the contract's months per bid (with a monthly profile), the invalid bids, the
    winners, the break-even volumes and the weight stability."""
    en = lang == "en"
    criteria = result["criteria"]
    finals = any("first_monthly_cost" in bid for bid in result["bids"])
    year = any("contract_cost" in bid for bid in result["bids"])
    header = (
        ["Rank", "Vendor", "Model", "Monthly cost", "Per inquiry"]
        if en
        else ["排名", "供应商", "报价方式", "月度成本", "单次成本"]
    )
    header += (["First offer"] if en else ["首次报价"]) if finals else []
    header += (["Contract cost"] if en else ["合同总价"]) if year else []
    header += [c["id"] if en else c["name"] for c in criteria] + (["Total", "Flags"] if en else ["总分", "标记"])
    rows = []
    for bid in result["bids"]:
        if not bid["valid"]:
            continue
        rows.append(
            [str(bid["rank"]), bid["vendor"], bid["model"], bid["monthly_cost"], bid["cost_per_inquiry"] or "-"]
            + ([bid["first_monthly_cost"]] if finals else [])
            + ([bid["contract_cost"]] if year else [])
            + [bid["scores"].get(c["id"], "") for c in criteria]
            + [bid["total"], ",".join(bid["flags"])]
        )
    first = 5 + int(finals) + int(year)
    lines = _table(header, rows, {0, 3, 4, *range(5, first + len(criteria) + 1)})
    if year:
        lines += month_table(result, lang)
    zh_status, en_status = STATUS[result["status"]]
    lines.append("")
    lines.append(f"Status: {en_status}" if en else f"状态：{zh_status}（{result['status']}）")
    for reason in result.get("status_reasons", []):
        lines.append(f"  - {reason['en'] if en else reason['zh']}")
    invalid = [b for b in result["bids"] if not b["valid"]]
    if invalid:
        lines.append("Invalid bids:" if en else "无效投标：")
        for bid in invalid:
            lines.append(f"  {bid['vendor']} ({bid['monthly_cost']}): " + "; ".join(bid["reasons"]))
    winners = ", ".join(result["winners"]) or "-"
    lines.append(f"Recommended winning candidates: {winners}" if en else f"中标候选人（按顺序）：{winners}")
    if result.get("awards") and (len(result["awards"]) > 1):
        lines.append(
            ("Awards: " if en else "中标份额：") + ", ".join(f"{a['vendor']} {a['share']}" for a in result["awards"])
        )
    breaks = result["sensitivity"].get("break_even", [])
    if breaks:
        lines.append("Break-even daily inquiries:" if en else "盈亏平衡点（日均咨询量）：")
        for point in breaks:
            lines.append(f"  {point['daily_inquiries']}: {point['below']} → {point['above']}")
    lines += stability_table(result, lang)
    return "\n".join(lines)


def lots_table(result: dict, lang: str = "zh") -> str:
    """A tender divided into lots: each lot's table, then the awards across the lots."""
    en = lang == "en"
    parts = []
    for lot in result["lots"]:
        parts.append(f"== Lot {lot['id']}: {lot['name']} ==" if en else f"== 标包 {lot['id']}：{lot['name']} ==")
        parts.append(ranking_table(lot, lang))
        parts.append("")
    zh_status, en_status = STATUS[result["status"]]
    parts.append(f"Status of the tender: {en_status}" if en else f"项目状态：{zh_status}（{result['status']}）")
    for reason in result.get("status_reasons", []):
        parts.append(f"  - {reason['en'] if en else reason['zh']}")
    limit = result.get("max_lots_awarded_per_vendor")
    if limit is not None:
        parts.append(f"At most {limit} lot(s) awarded per vendor" if en else f"每家供应商最多中标 {limit} 个标包")
    header = ["Lot", "Vendor", "Rank", "Share"] if en else ["标包", "中标供应商", "排名", "份额"]
    rows = [[a["lot"], a["vendor"], str(a["rank"]), a["share"]] for a in result["awards"]]
    awarded = {a["lot"] for a in result["awards"]}
    rows += [[lot["id"], "-", "-", "-"] for lot in result["lots"] if lot["id"] not in awarded]
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    parts.append("Awards across the lots:" if en else "各标包授标：")
    parts.append(" ".join(_pad(h, widths[i], i >= 2) for i, h in enumerate(header)))
    parts.append(" ".join("-" * w for w in widths))
    parts += [" ".join(_pad(cell, widths[i], i >= 2) for i, cell in enumerate(row)) for row in rows]
    return "\n".join(parts)


def month_table(result: dict, lang: str = "zh") -> list[str]:
    """The contract's months (§10): each valid bid's cost month by month and its contract
    cost, and whether pricing the year month by month changes the winner."""
    en = lang == "en"
    bids = [b for b in result["bids"] if b["valid"] and "monthly_costs" in b]
    if not bids:
        return []
    labels = [m["label"] for m in bids[0]["monthly_costs"]]
    header = (["Vendor"] if en else ["供应商"]) + labels + (["Contract cost"] if en else ["合同总价"])
    rows = [[b["vendor"], *(m["cost"] for m in b["monthly_costs"]), b["contract_cost"]] for b in bids]
    lines = ["", "Cost month by month:" if en else "逐月成本（元）："]
    lines += _table(header, rows, set(range(1, len(header))))
    flat = result.get("flat_average")
    if flat and flat["winner_changes"] and flat["winner"] and flat["year_winner"]:
        costs = {b["vendor"]: b["monthly_cost"] for b in flat["bids"]}
        year_costs = {b["vendor"]: b["monthly_cost"] for b in bids}
        winner, year_winner = flat["winner"], flat["year_winner"]
        if en:
            lines.append(
                f"The year changes the winner: on the flat average month ({flat['daily_inquiries']} inquiries "
                f"a day) {winner} would rank first at {costs[winner]} a month; priced month by month it "
                f"costs {year_costs[winner]} a month and {year_winner} ranks first at {year_costs[year_winner]}."
            )
        else:
            lines.append(
                f"逐月计价改变了第一名：按平均月（日均 {flat['daily_inquiries']} 咨询）计，{winner}排名第一，"
                f"月度成本 {costs[winner]} 元；按合同年度逐月计价，其月度成本为 {year_costs[winner]} 元，"
                f"排名第一的是{year_winner}（月度成本 {year_costs[year_winner]} 元）。"
            )
    return lines


def stability_table(result: dict, lang: str = "zh") -> list[str]:
    """How far each weight may move before another bid would rank first (§11)."""
    en = lang == "en"
    bounds = result.get("weight_stability") or []
    if not bounds:
        first = [b["vendor"] for b in result["bids"] if b.get("rank") == 1]
        if len(first) > 1:
            return [
                "",
                f"Weight stability: none, rank 1 is shared ({', '.join(first)})."
                if en
                else f"权重稳定性：第一名并列（{'、'.join(first)}），不计算。",
            ]
        return []
    names = {c["id"]: (c["id"] if en else c["name"]) for c in result["criteria"]}
    header = (
        ["Criterion", "Weight", "Low", "High", "Level at low", "Level at high"]
        if en
        else ["评分因素", "权重", "下限", "上限", "下限处追平者", "上限处追平者"]
    )
    rows = [
        [
            names.get(b["criterion"], b["criterion"]),
            b["weight"],
            b["low"] or "-",
            b["high"] or "-",
            b["rival_low"] or "-",
            b["rival_high"] or "-",
        ]
        for b in bounds
    ]
    winner = next((b["vendor"] for b in result["bids"] if b.get("rank") == 1), "")
    lines = [
        "",
        f"Weight stability of {winner}: it stays first while a weight stays inside (low, high), "
        f"the other weights scaled to fit; '-': no rival draws level on that side."
        if en
        else f"权重稳定性：{winner}在某项权重处于（下限, 上限）之间时保持第一（其余权重按比例调整）；"
        f"“-”表示该方向上没有投标人能追平。",
    ]
    lines += _table(header, rows, {1, 2, 3})
    if any(c["kind"] == "price" for c in result["criteria"]):
        lines.append(
            "Price weight for services: 10–30 points by law (MOF Order 87, Art. 55)."
            if en
            else "服务类项目价格分值的法定范围为 10–30 分（财政部令第87号第五十五条）。"
        )
    return lines
