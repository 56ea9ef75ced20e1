"""The monthly acceptance report (履约验收报告) of one settled contract month (domain §14).

    build_acceptance_report(settlement, context=None, lang="zh") -> bytes   # .docx

Contract and tender · the month's volumes · the charge with every formula · the KPI table
(target, actual, met, deduction) · deduction, bonus and payable · the confirmations of
buyer and vendor (name and time when given, blank lines to sign otherwise). Every figure
is the :class:`~scoring.settlement.Settlement`'s own; the command line and the web app
make the same report. It carries its own two catalogues, as the evaluation report does.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from scoring.money import fmt2, plain
from scoring.pricing import MODELS
from scoring.settlement import AT_RISK_SOURCES, Settlement, month_volumes
from scoring.times import SHANGHAI
from tender.reports import wordxml as X
from tender.reports.safe import xml_text

PAGE_TWIPS = 9638  # A4 21 cm less 2 × 2 cm margins
ZH_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Confirmation:
    """One side's confirmation of the month: who, when, and whether it agreed."""

    side: str  # buyer | vendor
    name: str = ""  # the person who confirmed
    at: dt.datetime | None = None
    outcome: str = "confirmed"  # confirmed | disputed
    note: str = ""  # a dispute's reason, a correction's reason


@dataclass(frozen=True)
class AcceptanceContext:
    """What the report says beyond the settlement: the contract and who confirmed it."""

    title: str | None = None  # the tender
    buyer: str | None = None
    vendor: str | None = None  # default: the settlement's vendor
    contract: str | None = None  # contract number or name
    version: int | None = None  # the settlement's version after corrections
    confirmations: tuple[Confirmation, ...] = ()
    generated_at: dt.datetime | None = None


ZH = {
    "report_title": "履约验收报告",
    "month_of": "结算月份：{month}",
    "sec_contract": "合同信息",
    "sec_volumes": "本月业务量",
    "sec_charge": "本月服务费",
    "sec_kpis": "KPI 考核",
    "sec_payment": "考核扣款与应付金额",
    "sec_confirmations": "双方确认",
    "field": "项目",
    "value": "数值",
    "tender": "招标项目",
    "buyer": "采购人",
    "vendor": "供应商（中标人）",
    "contract": "合同",
    "month": "结算月份",
    "version": "结算版本",
    "model": "报价方式",
    "at_risk_share": "考核比例",
    "generated_at": "生成时间",
    "component": "费用项",
    "formula": "计算过程",
    "amount": "金额（元）",
    "charge": "本月服务费（元）",
    "seq": "序号",
    "kpi": "考核指标",
    "target": "目标",
    "weight": "权重",
    "actual": "本月实际",
    "met": "是否达标",
    "deduction": "扣款（元）",
    "yes": "达标",
    "no": "未达标",
    "not_reported": "未报告",
    "no_kpis": "招标文件未列出考核 KPI，本月不考核。",
    "at_risk": "考核金额（元）",
    "at_risk_formula": "{charge} × {share}",
    "total_deduction": "考核扣款（元）",
    "deduction_formula": "{at_risk} × 未达标权重之和 {weights}",
    "bonus": "奖励（元）",
    "bonus_formula": "全部 KPI 达标：{charge} × {share}",
    "bonus_none": "有 KPI 未达标，无奖励",
    "bonus_not_agreed": "未约定奖励",
    "payable": "本月应付金额（元）",
    "payable_formula": "{charge} − {deduction} + {bonus}",
    "payable_line": "本月应付金额：人民币 {payable} 元",
    "side": "确认方",
    "party": "单位",
    "person": "确认人",
    "outcome": "确认结果",
    "time": "时间",
    "signature": "签字（盖章）",
    "side_buyer": "采购人",
    "side_vendor": "供应商",
    "outcome_confirmed": "确认",
    "outcome_disputed": "有异议",
    "note": "说明",
    "confirm_intro": "双方确认本月业务量、KPI 考核结果与应付金额如上。",
    "page": "第 {PAGE} 页 / 共 {NUMPAGES} 页",
    "not_given": "—",
}

EN = {
    "report_title": "Monthly acceptance report",
    "month_of": "Month settled: {month}",
    "sec_contract": "Contract",
    "sec_volumes": "Volumes of the month",
    "sec_charge": "Charge of the month",
    "sec_kpis": "KPI appraisal",
    "sec_payment": "Deduction, bonus and amount payable",
    "sec_confirmations": "Confirmations",
    "field": "Item",
    "value": "Value",
    "tender": "Tender",
    "buyer": "Buyer",
    "vendor": "Vendor (winner)",
    "contract": "Contract",
    "month": "Month",
    "version": "Version of the settlement",
    "model": "Pricing model",
    "at_risk_share": "Share at risk",
    "generated_at": "Generated at",
    "component": "Component",
    "formula": "Formula",
    "amount": "Amount (CNY)",
    "charge": "Charge of the month (CNY)",
    "seq": "No.",
    "kpi": "KPI",
    "target": "Target",
    "weight": "Weight",
    "actual": "Actual",
    "met": "Met",
    "deduction": "Deduction (CNY)",
    "yes": "met",
    "no": "not met",
    "not_reported": "not reported",
    "no_kpis": "The tender lists no KPIs: nothing is appraised this month.",
    "at_risk": "At risk (CNY)",
    "at_risk_formula": "{charge} × {share}",
    "total_deduction": "KPI deduction (CNY)",
    "deduction_formula": "{at_risk} × weights not met {weights}",
    "bonus": "Bonus (CNY)",
    "bonus_formula": "every KPI met: {charge} × {share}",
    "bonus_none": "a KPI was not met: no bonus",
    "bonus_not_agreed": "no bonus agreed",
    "payable": "Amount payable (CNY)",
    "payable_formula": "{charge} − {deduction} + {bonus}",
    "payable_line": "Amount payable this month: CNY {payable}",
    "side": "Side",
    "party": "Party",
    "person": "Confirmed by",
    "outcome": "Outcome",
    "time": "Time",
    "signature": "Signature (seal)",
    "side_buyer": "Buyer",
    "side_vendor": "Vendor",
    "outcome_confirmed": "confirmed",
    "outcome_disputed": "disputed",
    "note": "Note",
    "confirm_intro": "Both sides confirm the month's volumes, KPI appraisal and amount payable above.",
    "page": "Page {PAGE} of {NUMPAGES}",
    "not_given": "—",
}


def money(value: Decimal) -> str:
    return f"{Decimal(fmt2(value)):,.2f}"


def show_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") + " (UTC+8 Asia/Shanghai)"


class AcceptanceReport:
    def __init__(self, settlement: Settlement, context: AcceptanceContext | None, lang: str):
        self.s = settlement
        self.context = context or AcceptanceContext()
        self.en = lang == "en"
        self.words = EN if self.en else ZH
        self.doc = docx.Document()
        self.sections = 0
        X.prepare_styles(self.doc)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        self._footer(section)

    def t(self, key: str, **values) -> str:
        return self.words[key].format(**values) if values else self.words[key]

    def pick(self, zh: str, en: str) -> str:
        return en if self.en else zh

    def heading(self, key: str) -> None:
        self.sections += 1
        n = self.sections
        self.doc.add_heading(f"{n}. {self.t(key)}" if self.en else f"{ZH_NUMERALS[n - 1]}、{self.t(key)}", level=1)

    def para(self, text: str, *, bold: bool = False, size: float | None = None, align=None):
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(xml_text(text))
        run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def table(self, header, rows, **options) -> None:
        X.table(self.doc, header, rows, total_twips=PAGE_TWIPS, **options)
        self.doc.add_paragraph()

    def key_values(self, pairs) -> None:
        first = int(PAGE_TWIPS * 0.32)
        self.table([self.t("field"), self.t("value")], [[k, v] for k, v in pairs], widths=[first, PAGE_TWIPS - first])

    def _footer(self, section) -> None:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, rest = self.t("page").split("{PAGE}")
        middle, after = rest.split("{NUMPAGES}")
        footer.add_run(before)
        X.field(footer, "PAGE")
        footer.add_run(middle)
        X.field(footer, "NUMPAGES")
        footer.add_run(after)

    # ------------------------------------------------------------------ content
    def build(self) -> bytes:
        title = self.context.title or self.t("report_title")
        self.doc.core_properties.title = xml_text(f"{title} — {self.t('report_title')} {self.s.month}")[:250]
        self.doc.core_properties.author = "tender"
        if self.context.title:
            self.para(self.context.title, bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para(self.t("report_title"), bold=True, size=20, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para(self.t("month_of", month=self.s.month), bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.contract()
        self.volumes()
        self.charge()
        self.kpis()
        self.payment()
        self.confirmations()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def contract(self) -> None:
        s, context, blank = self.s, self.context, self.t("not_given")
        model = MODELS[s.pricing.model]
        zh_source, en_source = AT_RISK_SOURCES[s.at_risk_source]
        pairs = [
            (self.t("tender"), context.title or blank),
            (self.t("buyer"), context.buyer or blank),
            (self.t("vendor"), context.vendor or s.vendor or blank),
        ]
        if context.contract:
            pairs.append((self.t("contract"), context.contract))
        pairs.append((self.t("month"), s.month))
        if context.version is not None:
            pairs.append((self.t("version"), str(context.version)))
        pairs += [
            (self.t("model"), f"{model.en} ({model.name})" if self.en else f"{model.zh}（{model.name}）"),
            (
                self.t("at_risk_share"),
                f"{s.at_risk_share_text}（{zh_source}）" if not self.en else f"{s.at_risk_share_text} ({en_source})",
            ),
        ]
        if context.generated_at is not None:
            pairs.append((self.t("generated_at"), show_time(context.generated_at)))
        self.heading("sec_contract")
        self.key_values(pairs)

    def volumes(self) -> None:
        self.heading("sec_volumes")
        self.key_values([(self.pick(zh, en), value) for zh, en, value in month_volumes(self.s)])

    def charge(self) -> None:
        self.heading("sec_charge")
        rows = [
            [self.pick(line.label, line.label_en), self.pick(line.formula, line.formula_en), money(line.amount)]
            for line in self.s.cost.lines
        ]
        rows.append([self.t("charge"), "", money(self.s.charge)])
        widths = [int(PAGE_TWIPS * 0.22), int(PAGE_TWIPS * 0.58)]
        widths.append(PAGE_TWIPS - sum(widths))
        self.table(
            [self.t("component"), self.t("formula"), self.t("amount")], rows, widths=widths, align=[None, None, "right"]
        )

    def kpis(self) -> None:
        self.heading("sec_kpis")
        if not self.s.kpis:
            self.para(self.t("no_kpis"))
            return
        rows = []
        for index, outcome in enumerate(self.s.kpis, start=1):
            kpi = outcome.kpi
            actual = plain(outcome.actual) if outcome.reported else self.t("not_reported")
            rows.append(
                [
                    str(index),
                    f"{kpi.name}\n{kpi.id}",
                    kpi.target_text(),
                    plain(kpi.weight),
                    actual,
                    self.t("yes" if outcome.met else "no"),
                    money(outcome.deduction),
                ]
            )
        self.table(
            [
                self.t("seq"),
                self.t("kpi"),
                self.t("target"),
                self.t("weight"),
                self.t("actual"),
                self.t("met"),
                self.t("deduction"),
            ],
            rows,
            align=["center", None, "center", "right", "right", "center", "right"],
            fills=[None if o.met else "FCE4D6" for o in self.s.kpis],
        )

    def payment(self) -> None:
        s = self.s
        self.heading("sec_payment")
        charge, share = money(s.charge), s.at_risk_share_text
        missed = plain(sum((o.kpi.weight for o in s.kpis if not o.met), Decimal(0)))
        if not s.bonus_share:
            bonus_text = self.t("bonus_not_agreed")
        elif s.all_met:
            bonus_text = self.t("bonus_formula", charge=charge, share=plain(s.bonus_share))
        else:
            bonus_text = self.t("bonus_none")
        rows = [
            [self.t("charge"), "", charge],
            [self.t("at_risk"), self.t("at_risk_formula", charge=charge, share=share), money(s.at_risk)],
            [
                self.t("total_deduction"),
                self.t("deduction_formula", at_risk=money(s.at_risk), weights=missed),
                money(s.deduction),
            ],
            [self.t("bonus"), bonus_text, money(s.bonus)],
            [
                self.t("payable"),
                self.t("payable_formula", charge=charge, deduction=money(s.deduction), bonus=money(s.bonus)),
                money(s.payable),
            ],
        ]
        widths = [int(PAGE_TWIPS * 0.26), int(PAGE_TWIPS * 0.52)]
        widths.append(PAGE_TWIPS - sum(widths))
        self.table(
            [self.t("field"), self.t("formula"), self.t("amount")], rows, widths=widths, align=[None, None, "right"]
        )
        self.para(self.t("payable_line", payable=money(s.payable)), bold=True, size=12)

    def confirmations(self) -> None:
        self.heading("sec_confirmations")
        self.para(self.t("confirm_intro"))
        given = {c.side: c for c in self.context.confirmations}
        parties = {"buyer": self.context.buyer or "", "vendor": self.context.vendor or self.s.vendor or ""}
        rows = []
        for side in ("buyer", "vendor"):
            confirmation = given.get(side)
            if confirmation is None:
                rows.append([self.t(f"side_{side}"), parties[side], "", "", "", ""])
                continue
            outcome = self.t(f"outcome_{confirmation.outcome}")
            if confirmation.note:
                outcome = f"{outcome}\n{confirmation.note}" if outcome else confirmation.note
            rows.append(
                [self.t(f"side_{side}"), parties[side], confirmation.name, outcome, show_time(confirmation.at), ""]
            )
        widths = [int(PAGE_TWIPS * f) for f in (0.11, 0.22, 0.15, 0.18, 0.17)]
        widths.append(PAGE_TWIPS - sum(widths))
        X.table(
            self.doc,
            [self.t("side"), self.t("party"), self.t("person"), self.t("outcome"), self.t("time"), self.t("signature")],
            rows,
            total_twips=PAGE_TWIPS,
            widths=widths,
            row_height=900,
        )


def build_acceptance_report(
    settlement: Settlement, context: AcceptanceContext | None = None, lang: str = "zh"
) -> bytes:
    return AcceptanceReport(settlement, context, lang).build()
