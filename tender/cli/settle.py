"""``tender settle``: one contract month settled against the KPIs (domain §14), offline.

    tender settle TENDER.json BID.json MONTH.json [--lot L1] [--json SETTLEMENT.json] [--docx 验收报告.docx]

Prints the settlement (the month's volumes, the charge with its breakdown, the KPI table,
deduction, bonus, payable) and writes ``settlement.json`` and, when asked, the monthly
acceptance report (履约验收报告). Invalid input exits 2 with every problem of every file
listed on standard error, each naming its file and path, as ``tender evaluate`` does. In a
tender divided into lots (§13) the month is settled for one lot the bid won (``--lot``):
that lot's scenario and the bid's pricing (or final offer) for it.
python-docx is imported only when a report is asked for.
"""

from __future__ import annotations

from pathlib import Path

from scoring.errors import InvalidInput, Problem
from scoring.money import fmt2
from tender.documents import jsonfiles

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from scoring.settlement import Settlement


def add_command(commands) -> None:
    st = commands.add_parser("settle", help="履约考核结算 / settle a contract month against the KPIs")
    st.add_argument(
        "tender", type=Path, metavar="TENDER.json", help="tender.json with payment_terms and kpis (domain §14)"
    )
    st.add_argument(
        "bid", type=Path, metavar="BID.json", help="the winning bid: bid.json or a filled price-sheet workbook (.xlsx)"
    )
    st.add_argument(
        "month", type=Path, metavar="MONTH.json", help="month.json: the month's actual volumes and KPI values"
    )
    st.add_argument("--lot", metavar="L1", help="a tender divided into lots: the lot settled")
    st.add_argument("--json", type=Path, dest="json_out", metavar="SETTLEMENT.json", help="write settlement.json here")
    st.add_argument(
        "--docx", type=Path, metavar="REPORT.docx", help="write the monthly acceptance report (履约验收报告) here"
    )
    st.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the printout and report")
    st.set_defaults(run=run)


def run(args) -> int:
    """Read the three files (every problem of every file collected), settle, write, print."""
    # scoring.settlement is imported here, not at the top: `tender evaluate` does not pay for it.
    from scoring.settlement import parse_month, settle
    from tender.cli import _within, load_bid, load_tender

    problems: list[Problem] = []
    tender = raw_tender = bid = None
    try:
        raw_tender, tender = load_tender(args.tender)
    except InvalidInput as error:
        problems.extend(_within(args.tender, error.problems))
    try:
        if tender is not None:
            bid = load_bid(args.bid, tender, raw_tender)
        elif args.bid.suffix.lower() != ".xlsx":
            jsonfiles.load(args.bid)  # still report a broken or missing file
    except InvalidInput as error:
        problems.extend(error.problems)
    if tender is not None:
        tender, bid = _lot_of(args, tender, bid, problems)
    month = None
    try:
        raw_month = jsonfiles.load(args.month)
        if tender is not None:
            month = parse_month(raw_month, kpis=tender.kpis, scenario=tender.scenario)
    except InvalidInput as error:
        problems.extend(_within(args.month, error.problems))
    if problems:
        raise InvalidInput(problems)
    settlement = settle(tender, bid, month)
    if args.json_out:
        jsonfiles.dump(settlement.to_json(), args.json_out)
    if args.docx:
        from tender.reports.acceptance import AcceptanceContext, build_acceptance_report

        context = AcceptanceContext(title=tender.title, buyer=tender.buyer, vendor=bid.vendor)
        args.docx.write_bytes(build_acceptance_report(settlement, context, lang=args.lang))
    print(settlement_text(settlement, lang=args.lang))
    return 0


def _lot_of(args, tender, bid, problems: list[Problem]):
    """The tender and bid as the lot settled sees them (§13); unchanged for an undivided tender."""
    lot = tender.lot(args.lot) if args.lot is not None else None
    if not tender.lots:
        if args.lot is not None:
            problems.append(Problem("--lot", "本项目不分标包，无需 --lot", "this tender has no lots: leave out --lot"))
        return tender, bid
    known = ", ".join(item.id for item in tender.lots)
    if args.lot is None:
        problems.append(
            Problem(
                "--lot",
                f"本项目分标包：请用 --lot 指明结算的标包（{known}）",
                f"this tender is divided into lots: name the lot settled with --lot ({known})",
            )
        )
        return None, bid
    if lot is None:
        problems.append(
            Problem(
                "--lot",
                f"本项目没有标包“{args.lot}”（标包：{known}）",
                f"this tender has no lot '{args.lot}' (its lots: {known})",
            )
        )
        return None, bid
    if bid is not None and lot.id not in bid.lots:
        problems.append(
            Problem(args.bid.name, f"该投标未投标包“{lot.id}”", f"this bid does not bid for lot '{lot.id}'")
        )
        return None, bid
    return tender.for_lot(lot), bid.for_lot(lot.id) if bid is not None else None


def settlement_text(settlement: Settlement, lang: str = "zh") -> str:
    """The settlement as the terminal shows it."""
    from scoring.settlement import AT_RISK_SOURCES, month_volumes

    en = lang == "en"
    s = settlement
    lines = [
        f"Settlement of {s.month}" + (f" — {s.vendor}" if s.vendor else "")
        if en
        else f"{s.month} 履约考核结算" + (f" — {s.vendor}" if s.vendor else "")
    ]
    lines.append("Volumes:" if en else "本月业务量：")
    for zh, english, value in month_volumes(s):
        lines.append(f"  {english if en else zh}: {value}")
    lines.append("Charge:" if en else "本月服务费：")
    for line in s.cost.lines:
        lines.append(f"  {line.label_en if en else line.label}: {line.formula_en if en else line.formula}")
    lines.append(f"  = {fmt2(s.charge)}")
    zh_source, en_source = AT_RISK_SOURCES[s.at_risk_source]
    lines.append(
        f"At risk: {s.at_risk_share_text} × {fmt2(s.charge)} = {fmt2(s.at_risk)} ({en_source})"
        if en
        else f"考核金额：{fmt2(s.charge)} × {s.at_risk_share_text} = {fmt2(s.at_risk)}（{zh_source}）"
    )
    if s.kpis:
        lines.append("KPIs:" if en else "KPI 考核：")
        for outcome in s.kpis:
            kpi = outcome.kpi
            actual = outcome.to_json()["actual"] or ("not reported" if en else "未报告")
            met = ("met" if outcome.met else "not met") if en else ("达标" if outcome.met else "未达标")
            lines.append(
                f"  {kpi.name} ({kpi.id}) {kpi.target_text()}, weight {kpi.weight}: {actual} → {met}, "
                f"deduction {fmt2(outcome.deduction)}"
                if en
                else f"  {kpi.name}（{kpi.id}）{kpi.target_text()}，权重 {kpi.weight}：{actual} → {met}，"
                f"扣款 {fmt2(outcome.deduction)}"
            )
    lines.append(f"Deduction: {fmt2(s.deduction)}" if en else f"考核扣款：{fmt2(s.deduction)}")
    lines.append(f"Bonus: {fmt2(s.bonus)}" if en else f"奖励：{fmt2(s.bonus)}")
    lines.append(f"Payable: {fmt2(s.payable)}" if en else f"应付金额：{fmt2(s.payable)}")
    return "\n".join(lines)
