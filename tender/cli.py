"""The ``tender`` command line: evaluate bids offline, make a price-sheet template, and
look after the web app's data.

    tender evaluate TENDER.json BID.json|BID.xlsx ... [--panel PANEL.json] [--json RESULT.json]
    tender template TENDER.json -o QUOTE.xlsx
    tender audit verify [--expect-head HASH] [--receipt RECEIPT.json]
    tender audit rekey
    tender backup DIR [--include-key] [--method sqlite|pg_dump|logical]
    tender restore DIR [--key-file DATA.key] [--audit-key-file AUDIT.key]

Exit status: 0 when the evaluation ran (whatever its status), 2 on invalid input, with
every problem listed on standard error — all files are checked in one run. ``audit
verify`` exits 1 when the chain is broken or a printed head is missing (``audit rekey``
when the chain it would convert is broken); ``backup`` and
``restore`` exit 2 when refused, and ``restore`` 1 when the restored bids cannot be
decrypted with the configured key. The data commands work on the database of the web app
(``DATABASE_URL``, the instance folder), as ``flask --app tender`` does.
"""
from __future__ import annotations

import argparse
import gc
import sys
import unicodedata
from pathlib import Path

from scoring import InvalidInput, Problem, evaluate, parse_bid, parse_panel, parse_tender
from tender import jsonfiles, operations

EXIT_INVALID = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tender", description="电商客服外包招标 · customer-service outsourcing tenders")
    commands = parser.add_subparsers(dest="command", required=True)
    # Each command names the function that runs it (``set_defaults(run=...)``). The
    # offline commands need only scoring/ and the file readers; the data commands of
    # tender.operations import the web app inside the function that runs them.
    ev = commands.add_parser("evaluate", help="评标 / evaluate bids against a tender")
    ev.add_argument("tender", type=Path, help="tender.json (domain §3)")
    ev.add_argument("bids", type=Path, nargs="+", help="bid.json or a filled price-sheet workbook (.xlsx)")
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


def load_bid(path: Path, tender, raw_tender):
    """A bid from ``bid.json`` or from a filled workbook made from this tender's template."""
    if path.suffix.lower() == ".xlsx":
        from tender.documents.quote_reader import read_quote
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InvalidInput([Problem(str(path), f"无法读取：{error.strerror}", f"cannot be read: {error.strerror}")])
        reading = read_quote(data, tender=raw_tender, tender_id=jsonfiles.fingerprint(raw_tender), version=1)
        if reading.problems:
            raise InvalidInput([Problem(f"{path.name}: {p.path}", p.zh, p.en) for p in reading.problems])
        raw = reading.bid
    else:
        raw = jsonfiles.load(path)
    return parse_bid(raw, tender, source=path.name)


def _within(path: Path, problems: list[Problem]) -> list[Problem]:
    """Name the file a problem is in, unless the problem already does."""
    return [p if p.path.startswith(str(path)) else Problem(f"{path.name}: {p.path}" if p.path else path.name, p.zh, p.en)
            for p in problems]


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
                if path.suffix.lower() != ".xlsx":
                    jsonfiles.load(path)   # still report broken files
                continue
            bids.append(load_bid(path, tender, raw_tender))
        except InvalidInput as error:
            problems.extend(error.problems)
    panel = None
    if args.panel:
        try:
            raw_panel = jsonfiles.load(args.panel)
            if tender is not None and len(bids) == len(args.bids):
                panel = parse_panel(raw_panel, tender, bids)
        except InvalidInput as error:
            problems.extend(_within(args.panel, error.problems))
    if problems:
        raise InvalidInput(problems)
    result = evaluate(tender, bids, panel) if panel else evaluate(tender, bids)
    data = result.to_json()
    if args.json_out:
        jsonfiles.dump(data, args.json_out)
    if args.xlsx or args.docx:
        from tender.reports import ReportContext, write_reports
        write_reports(result, xlsx=args.xlsx, docx=args.docx, lang=args.lang, context=ReportContext.for_bids(bids))
    print(ranking_table(data, lang=args.lang))
    return 0


def _template(args) -> int:
    from tender.documents.quote_template import build_quote_template
    raw, _tender = load_tender(args.tender)
    content = build_quote_template(raw, tender_id=jsonfiles.fingerprint(raw), version=1)
    args.output.write_bytes(content)
    print(f"报价单模板已生成 / price-sheet template written: {args.output}")
    return 0


# --------------------------------------------------------------------------- table

def _width(text: str) -> int:
    if text.isascii():  # most cells: figures and ids
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


STATUS = {"ok": ("评审完成", "final"), "pending": ("待定", "pending"), "failed": ("流标", "failed")}


def ranking_table(result: dict, lang: str = "zh") -> str:
    """The ranking as a terminal table: rank, vendor, model, monthly cost, scores, total."""
    en = lang == "en"
    criteria = result["criteria"]
    header = (["Rank", "Vendor", "Model", "Monthly cost", "Per inquiry"] if en else
              ["排名", "供应商", "报价方式", "月度成本", "单次成本"])
    header += [c["id"] if en else c["name"] for c in criteria] + (["Total", "Flags"] if en else ["总分", "标记"])
    rows = []
    for bid in result["bids"]:
        if not bid["valid"]:
            continue
        rows.append([str(bid["rank"]), bid["vendor"], bid["model"], bid["monthly_cost"], bid["cost_per_inquiry"] or "-"]
                    + [bid["scores"].get(c["id"], "") for c in criteria] + [bid["total"], ",".join(bid["flags"])])
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    numeric = {0, 3, 4, *range(5, 5 + len(criteria) + 1)}
    lines = [" ".join(_pad(h, widths[i], i in numeric) for i, h in enumerate(header))]
    lines.append(" ".join("-" * w for w in widths))
    lines += [" ".join(_pad(str(cell), widths[i], i in numeric) for i, cell in enumerate(row)) for row in rows]
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
        lines.append(("Awards: " if en else "中标份额：") +
                     ", ".join(f"{a['vendor']} {a['share']}" for a in result["awards"]))
    breaks = result["sensitivity"].get("break_even", [])
    if breaks:
        lines.append("Break-even daily inquiries:" if en else "盈亏平衡点（日均咨询量）：")
        for point in breaks:
            lines.append(f"  {point['daily_inquiries']}: {point['below']} → {point['above']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
