"""The Word evaluation report (评标报告), in the order a PRC evaluation report takes.

Project and notice · bidders · panel · method and criteria · opening record ·
qualification (with every invalid bid's reasons) · abnormally low prices and decisions ·
scoring summary (with a chart) · ranking and winning candidates (and awards) · the contract
year month by month and the weight stability (each with a chart, when the result has them) ·
volume sensitivity (with a chart) · notes and dissent · a signature row per evaluator ·
an appendix with every evaluator's subjective scores. Every figure is the result's own.
"""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from tender.charts import render as charts
from tender.reports import wordxml as X
from tender.reports import year_document
from tender.reports.safe import xml_text
from tender.reports.view import ReportView, number
from tender.reports.wordxml import LANDSCAPE_TWIPS, PORTRAIT_TWIPS, money, quantity, score  # noqa: F401

ZH_NUMERALS = "一二三四五六七八九十"
RED = RGBColor(0xC0, 0x00, 0x00)


class Report:
    def __init__(self, view: ReportView):
        self.view = view
        self.doc = docx.Document()
        self.sections = 0
        X.prepare_styles(self.doc)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        self._header_footer(section)

    # ------------------------------------------------------------------ helpers
    def t(self, key: str, **values) -> str:
        return self.view.t(key, **values)

    def para(self, text: str = "", *, bold: bool = False, align=None, color=None, size=None):
        paragraph = self.doc.add_paragraph()
        if text:
            run = paragraph.add_run(xml_text(text))
            run.bold = bold
            if color is not None:
                run.font.color.rgb = color
            if size is not None:
                run.font.size = Pt(size)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def heading(self, key: str) -> None:
        self.sections += 1
        n = self.sections
        prefix = f"{ZH_NUMERALS[n - 1] if n <= 10 else '十' + ZH_NUMERALS[n - 11]}、" if not self.view.en else f"{n}. "
        self.doc.add_heading(prefix + self.t(key), level=1)

    def table(self, header, rows, *, landscape: bool = False, space_after: bool = True, **options):
        total = LANDSCAPE_TWIPS if landscape else PORTRAIT_TWIPS
        table = X.table(self.doc, header, rows, total_twips=total, **options)
        if space_after:
            self.doc.add_paragraph()
        return table

    def key_values(self, pairs: list[tuple[str, str]]) -> None:
        widths = [int(PORTRAIT_TWIPS * 0.28), PORTRAIT_TWIPS - int(PORTRAIT_TWIPS * 0.28)]
        X.table(
            self.doc,
            [self.t("field"), self.t("value")],
            [[k, v] for k, v in pairs],
            total_twips=PORTRAIT_TWIPS,
            widths=widths,
        )
        self.doc.add_paragraph()

    def picture(self, png: bytes, width_cm: float = 16.5) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _header_footer(self, section) -> None:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(xml_text(f"{self.view.title} · {self.t('report_title')}"))
        run.font.size = Pt(8)
        if self.view.draft:
            mark = header.add_run("    " + self.t("draft"))
            mark.bold, mark.font.color.rgb, mark.font.size = True, RED, Pt(12)
            X.watermark(header, self.t("draft"))
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        template = self.t("page")
        before, rest = template.split("{PAGE}")
        middle, after = rest.split("{NUMPAGES}")
        footer.add_run(before)
        X.field(footer, "PAGE")
        footer.add_run(middle)
        X.field(footer, "NUMPAGES")
        footer.add_run(after)

    def orientation(self, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        # the paragraph that ends the previous section: tiny, so it never spills onto a page of its own
        ending = self.doc.paragraphs[-1]
        ending.paragraph_format.space_before = ending.paragraph_format.space_after = Pt(0)
        ending.paragraph_format.line_spacing = Pt(1)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)

    # ------------------------------------------------------------------ content
    def build(self) -> bytes:
        view = self.view
        self.doc.core_properties.title = xml_text(f"{view.title} — {self.t('report_title')}")[:250]
        self.doc.core_properties.author = "tender"
        self.doc.add_paragraph(xml_text(view.title), style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.para(self.t("report_title"), bold=True, size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
        if view.draft:
            self.para(self.t("draft_notice"), bold=True, color=RED, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.project()
        self.bidders()
        self.panel()
        self.method()
        self.opening()
        self.qualification()
        self.abnormal_low()
        self.scores()
        self.ranking()
        if self.view.context.lot_awards:  # the report of one lot (§13): the awards across the lots
            self.lot_awards()
        year_document.add_sections(self)  # the contract year and the weight stability, when there are
        self.sensitivity()
        self.notes()
        self.signatures()
        self.appendix()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def project(self) -> None:
        view = self.view
        self.heading("sec_project")
        pairs = [
            (self.t("tender"), view.title),
            (self.t("project_code"), view.project_code),
            (self.t("buyer"), view.buyer),
        ]
        if view.context.announcement:
            pairs.append((self.t("announcement"), view.context.announcement))
        pairs += [
            (self.t("published_at"), view.time(view.published_at)),
            (self.t("bid_deadline"), view.time(view.bid_deadline)),
            (self.t("opening_time"), view.time(view.opening_time)),
            (self.t("opening_place"), view.opening_place),
            (self.t("evaluation_date"), view.evaluation_date),
        ]
        if view.price_ceiling is not None:
            pairs.append((self.t("price_ceiling"), money(view.price_ceiling)))
        status = view.status_text + ("\n" + "\n".join(view.status_reasons[:20]) if view.status_reasons else "")
        pairs.append((self.t("status"), status))
        if view.description:
            pairs.append((self.t("description"), view.description))
        self.key_values(pairs)

    def bidders(self) -> None:
        view = self.view
        self.heading("sec_bidders")
        records = view.opening_record()
        self.para(self.t("bidder_count", n=len(records)))
        codes = any(r.credit_code for r in records)  # the web app's bidders have one; a command-line bid none
        self.table(
            [self.t("seq"), self.t("vendor"), *([self.t("credit_code")] if codes else []), self.t("received_at")],
            [
                [
                    str(i),
                    r.vendor,
                    *([r.credit_code or self.t("not_given")] if codes else []),
                    view.time(r.received_at) if r.received_at else self.t("not_given"),
                ]
                for i, r in enumerate(records, start=1)
            ],
            align=["center", None, *([None] if codes else []), None],
        )

    def panel(self) -> None:
        members = self.view.panel()
        self.heading("sec_panel")
        self.para(self.t("panel_intro", n=len(members)))
        self.table(
            [self.t("seq"), self.t("name"), self.t("member_role"), self.t("member_org")],
            [[str(i), m.name, m.role, m.organization] for i, m in enumerate(members, start=1)],
            align=["center", None, None, None],
        )

    def method(self) -> None:
        view, tender = self.view, self.view.tender
        self.heading("sec_method")
        self.para(self.t("method_intro"))
        self.para(self.t(f"price_method_{tender.price_method.method}"))
        ratio = tender.abnormal_low_ratio
        self.para(self.t("abnormal_low_rule", ratio=f"{(ratio * 100).normalize():f}%"))
        if tender.sme_price_deduction:
            self.para(self.t("sme_rule", pct=f"{(tender.sme_price_deduction * 100).normalize():f}%"))
        self.table(
            [self.t("seq"), self.t("criterion"), self.t("criterion_kind"), self.t("max_points"), self.t("aggregation")],
            [
                [str(i), c.name, view.kind_label(c.kind), score(c.weight), view.method(c)]
                for i, c in enumerate(view.criteria, start=1)
            ],
            align=["center", None, None, "right", None],
        )
        self.doc.add_heading(self.t("scenario"), level=2)
        self.para(self.t("scenario_note"))
        self.key_values([(label, quantity(value)) for label, value in view.scenario_rows()])

    def opening(self) -> None:
        view = self.view
        self.heading("sec_opening")
        colon, sep = (": ", "; ") if view.en else ("：", "；")
        self.para(
            f"{self.t('opening_time')}{colon}{view.time(view.opening_time)}{sep}"
            f"{self.t('opening_place')}{colon}{view.opening_place}"
        )
        self.table(
            [self.t("seq"), self.t("vendor"), self.t("model"), self.t("monthly_cost")],
            [
                [str(i), r.vendor, view.model_name(r.model) if r.model else "", money(r.monthly_cost)]
                for i, r in enumerate(view.opening_record(), start=1)
            ],
            align=["center", None, None, "right"],
        )

    def qualification(self) -> None:
        view = self.view
        self.heading("sec_qualification")
        disqualified = [b for b in view.bids if not b.qualified]
        self.para(
            self.t(
                "qualification_summary",
                total=len(view.bids),
                passed=len(view.bids) - len(disqualified),
                failed=len(disqualified),
            )
        )
        # every invalid bid, as the results page lists them: the disqualified and the rejected
        self.para(self.t("invalid_summary", n=len(view.invalid)) if view.invalid else self.t("no_invalid"))
        if view.invalid:
            self.table(
                [self.t("seq"), self.t("vendor"), self.t("reasons")],
                [[str(i), b.vendor, "\n".join(view.reasons(b))] for i, b in enumerate(view.invalid, 1)],
                align=["center", None, None],
            )
        overrides = view.overrides()
        if overrides:
            self.doc.add_heading(self.t("overrides"), level=2)
            self.table(
                [
                    self.t("vendor"),
                    self.t("rule"),
                    self.t("overridden_to"),
                    self.t("override_reason"),
                    self.t("evaluator"),
                ],
                [
                    [o.vendor, view.rule_title(o.rule), self.t("pass" if o.passed else "fail"), o.reason, o.evaluator]
                    for o in overrides
                ],
            )

    def abnormal_low(self) -> None:
        view = self.view
        self.heading("sec_abnormal")
        decisions = view.abnormal_low()
        if not decisions:
            self.para(self.t("no_abnormal"))
            return
        header = [self.t("vendor"), self.t("monthly_cost"), self.t("decision"), self.t("note")]
        rows = [
            [d.vendor, money(view.monthly_cost(d.vendor)), self.t(f"decision_{d.decision}"), d.note] for d in decisions
        ]
        if any(d.decided_by for d in decisions):
            header.append(self.t("decided_by"))
            for row, decision in zip(rows, decisions):
                row.append(decision.decided_by)
        self.table(header, rows, align=[None, "right", "center", None, None])

    def scores(self) -> None:
        view = self.view
        self.heading("sec_scores")
        header = [self.t("rank"), self.t("vendor")]
        header += [f"{c.name}\n({c.weight:f})" if view.en else f"{c.name}\n（{c.weight:f}）" for c in view.criteria]
        header += [self.t("total")]
        rows = [
            [str(b.rank), b.vendor, *[score(b.scores.get(c.id)) for c in view.criteria], score(b.total)]
            for b in view.ranked
        ]
        widths = _score_widths(len(view.criteria), PORTRAIT_TWIPS)
        self.table(header, rows, widths=widths, align=["center", None, *["right"] * len(view.criteria), "right"])
        if view.ranked:  # the chart carries its own title
            self.picture(charts.score_chart(view, view.lang, "png", dpi=130))
        self.price_scores()

    def price_scores(self) -> None:
        """For each ranked bid: the price it was scored on (SME deduction marked), B and the formula."""
        view = self.view
        rows = view.price_scores()
        if not rows:
            return
        self.doc.add_heading(self.t("price_scores"), level=2)
        marked = " ({})" if view.en else "（{}）"
        self.table(
            [
                self.t("vendor"),
                self.t("monthly_cost"),
                self.t("price_scored"),
                self.t("benchmark_b"),
                self.t("calculation"),
                self.t("price_score"),
            ],
            [
                [
                    r.vendor,
                    money(r.monthly_cost),
                    money(r.price) + (marked.format(self.t("sme_deducted")) if r.deducted else ""),
                    money(r.benchmark),
                    r.formula,
                    score(r.score),
                ]
                for r in rows
            ],
            widths=[int(PORTRAIT_TWIPS * f) for f in (0.18, 0.13, 0.15, 0.13, 0.31, 0.10)],
            align=[None, "right", "right", "right", None, "right"],
        )

    def ranking(self) -> None:
        view = self.view
        self.heading("sec_ranking")
        self.table(
            [
                self.t("rank"),
                self.t("vendor"),
                self.t("monthly_cost"),
                self.t("cost_per_inquiry"),
                self.t("total"),
                self.t("flags"),
            ],
            [
                [
                    str(b.rank),
                    b.vendor,
                    money(b.monthly_cost),
                    money(view.cost_per_inquiry(b)),
                    score(b.total),
                    view.flags(b),
                ]
                for b in view.ranked
            ],
            align=["center", None, "right", "right", "right", None],
            fills=["E2EFDA" if b.vendor in view.winners else None for b in view.ranked],
        )
        if view.failed:
            self.para(self.t("failed_tender", n=view.tender.min_valid_bids), bold=True, color=RED)
            return
        self.para(self.t("ranking_intro"))
        colon = ": " if view.en else "："
        for position, vendor in enumerate(view.winners, start=1):
            self.para(f"{self.t('candidate_n', n=position)}{colon}{vendor}", bold=True)
        if len(view.awards) > 1:
            self.doc.add_heading(self.t("awards"), level=2)
            self.table(
                [self.t("rank"), self.t("vendor"), self.t("share")],
                [[str(a["rank"]), a["vendor"], f"{(number(a['share']) * 100).normalize():f}%"] for a in view.awards],
                align=["center", None, "right"],
            )

    def sensitivity(self) -> None:
        view = self.view
        self.heading("sec_sensitivity")
        colon = ": " if view.en else "："
        scenario = view.scenario_daily_inquiries
        self.para(f"{self.t('scenario_volume')}{colon}{quantity(scenario) if scenario is not None else '—'}")
        if view.sensitivity_grid():
            self.picture(charts.sensitivity_chart(view, view.lang, "png", dpi=130))
        self.doc.add_heading(self.t("break_even"), level=2)
        points = view.break_even()
        if not points:
            self.para(self.t("no_break_even"))
            return
        self.table(
            [self.t("daily_inquiries"), self.t("below"), self.t("above"), self.t("cost_there")],
            [[money(p["daily_inquiries"]), p["below"], p["above"], money(p["monthly_cost"])] for p in points],
            align=["right", None, None, "right"],
        )

    def lot_awards(self) -> None:
        self.heading("sec_lot_awards")
        self.para(self.t("lot_awards_intro", n=self.view.lot_limit()))
        self.table(
            [self.t("lot"), self.t("lot_name"), self.t("awarded_to"), self.t("lot_reasons")], self.view.lot_award_rows()
        )

    def notes(self) -> None:
        view = self.view
        self.heading("sec_notes")
        for key, items in (("notes", view.context.notes), ("dissent", view.context.dissent)):
            self.para(self.t(key), bold=True)
            for item in items or [self.t("no_notes")]:
                self.para(item.get(view.lang) if hasattr(item, "get") else item)

    def signatures(self) -> None:
        members = self.view.panel()
        self.heading("sec_signatures")
        self.para(self.t("signature_intro"))
        widths = [int(PORTRAIT_TWIPS * f) for f in (0.08, 0.22, 0.25, 0.27, 0.18)]
        self.table(
            [self.t("seq"), self.t("name"), self.t("member_role"), self.t("signature"), self.t("date")],
            [
                [
                    str(i),
                    m.name,
                    self.view.member_role(m),
                    self.view.signature_text(m),
                    self.view.time(m.signed_at) if m.signed_at else "",
                ]
                for i, m in enumerate(members, start=1)
            ],
            widths=widths,
            row_height=680,
            align=["center", None, None, None, None],
            space_after=False,
        )

    def appendix(self) -> None:
        view = self.view
        subjective = [c for c in view.criteria if c.kind == "subjective"]
        if not subjective or not view.ranked:
            return
        self.orientation(landscape=True)
        self.doc.add_heading(self.t("appendix_scores"), level=1)
        evaluators = view.evaluators
        for criterion in subjective:
            self.doc.add_heading(
                f"{criterion.name}（{criterion.weight:f}）"
                if not view.en
                else f"{criterion.name} ({criterion.weight:f})",
                level=2,
            )
            self.para(view.aggregation(criterion))
            header = [self.t("rank"), self.t("vendor"), *evaluators, self.t("score")]
            rows = [
                [
                    str(b.rank),
                    b.vendor,
                    *[score(view.evaluator_score(b, criterion.id, e)) for e in evaluators],
                    score(b.scores.get(criterion.id)),
                ]
                for b in view.ranked
            ]
            self.table(
                header,
                rows,
                landscape=True,
                widths=_score_widths(len(evaluators), LANDSCAPE_TWIPS),
                align=["center", None, *["right"] * len(evaluators), "right"],
            )


def _score_widths(columns: int, total: int) -> list[int]:
    """Rank, vendor, then equal number columns and the total."""
    rank = 700
    vendor = max(2600, min(4200, total - rank - (columns + 1) * 900))
    each = (total - rank - vendor) // (columns + 1)
    return [rank, vendor, *[each] * (columns + 1)]


def build(view: ReportView) -> bytes:
    return Report(view).build()
