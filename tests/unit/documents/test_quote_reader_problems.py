"""Every way a filled price sheet can be wrong is reported with its sheet!cell and reason,
in Chinese and English, all at once; nothing is raised."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl

from tender.documents.quote_reader import read_quote
from tender.documents.quote_template import build_quote_template
from tests.unit.documents.quote_filling import cell_of, fill, row_of, save_formula_value, sheet_part


def read(sample, data: bytes):
    tender, tender_id, version, _template = sample
    return read_quote(data, tender=tender, tender_id=tender_id, version=version)


def where(reading) -> list[str]:
    return [problem.path for problem in reading.problems]


def test_a_formula_without_a_saved_value_is_reported_at_its_cell(shop):
    data = fill(shop[3], quote={"model": "per_inquiry", "new_rate": "=2+0.5"})

    reading = read(shop, data)

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "new_rate")
    assert "公式 =2+0.5 没有保存计算结果" in problem.zh and "has no saved value" in problem.en
    assert "new_rate" not in reading.bid["pricing"]


def test_a_formula_with_the_value_excel_saved_is_read_as_that_value(shop):
    address = cell_of(shop[3], "报价", "new_rate")
    data = fill(shop[3], quote={"model": "per_inquiry", "new_rate": "=2+0.5"})
    data = save_formula_value(data, sheet_part(data, "报价"), address.split("!")[1], "2.5")

    reading = read(shop, data)

    assert reading.problems == []
    assert reading.bid["pricing"] == {"model": "per_inquiry", "new_rate": D("2.5")}


def test_an_unknown_pricing_model_lists_the_choices(shop):
    reading = read(shop, fill(shop[3], quote={"model": "per_minute"}))

    [problem] = reading.problems
    assert problem.path == "报价!C5"
    assert "“per_minute”不是可选项" in problem.zh and "per_inquiry" in problem.zh
    assert "'per_minute' is not one of the choices" in problem.en


def test_a_rate_card_model_is_refused_in_a_tender_without_work_items(shop):
    reading = read(shop, fill(shop[3], quote={"model": "line_items"}))

    assert [(p.path, p.zh) for p in reading.problems] == [
        ("报价!C5", "不能选择“报价清单（单价 × 工作量）”：本项目没有报价清单（工作项）")
    ]


def test_a_negative_rate_is_refused_at_its_cell(shop):
    reading = read(shop, fill(shop[3], quote={"model": "per_inquiry", "new_rate": -2.5}))

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "new_rate")
    assert problem.zh == "“新用户单价（元/咨询）”不能为负数（-2.5）"
    assert problem.en == "rate per new-customer inquiry (CNY): must not be negative (-2.5)"


def test_text_where_a_number_is_needed_is_refused_at_its_cell(shop):
    reading = read(shop, fill(shop[3], quote={"model": "fixed_per_agent", "monthly_per_agent": "面议"}))

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "monthly_per_agent")
    assert "应为金额" in problem.zh and "面议" in problem.zh and "must be an amount" in problem.en


def test_a_share_above_one_is_refused_with_the_forms_that_would_do(shop):
    reading = read(shop, fill(shop[3], quote={"model": "commission_only", "commission_rate": 2}))

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "commission_rate")
    assert "应在 0 到 1 之间，如 2% 或 0.02（实为 2）" in problem.zh


def test_a_negative_discount_is_read_for_the_evaluation_to_judge(reference):
    """A surcharge dressed as a discount makes the bid invalid (§9.2): that is the
    evaluation's verdict, so the reader passes it on as given."""
    reading = read(reference, fill(reference[3], quote={"model": "reference_discount", "discount_rate": "-5%"}))

    assert reading.problems == []
    assert reading.bid["pricing"] == {"model": "reference_discount", "discount_rate": D("-0.05")}


def test_a_parameter_of_another_model_is_refused(shop):
    reading = read(
        shop, fill(shop[3], quote={"model": "fixed_per_agent", "monthly_per_agent": 5500, "new_rate": "2.5"})
    )

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "new_rate")
    assert problem.zh == "“新用户单价（元/咨询）”不属于所选报价方式“固定薪资 / 专人专岗”：请清空此格或改选报价方式"
    assert reading.bid["pricing"] == {"model": "fixed_per_agent", "monthly_per_agent": D(5500)}


def test_both_minimums_filled_are_refused_at_the_monthly_minimum_cell(shop):
    reading = read(
        shop,
        fill(
            shop[3],
            quote={
                "model": "per_inquiry",
                "new_rate": "0.68",
                "minimum_per_agent_shift": 3000,
                "minimum_per_month": 60000,
            },
        ),
    )

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "minimum_per_month")
    assert problem.zh == "“保底（元/人/班次/月）”与“月保底（元/月）”只能填写一项：请清空其中一格"
    assert problem.en == (
        "give only one of the minimum per agent-shift per month (CNY) and the monthly minimum, "
        "the month's total (CNY), not both: clear one of the two cells"
    )


def test_a_required_parameter_left_empty_is_reported_at_its_cell(shop):
    reading = read(shop, fill(shop[3], quote={"model": "base_plus_commission", "base_per_agent": 1500}))

    [problem] = reading.problems
    assert problem.path == cell_of(shop[3], "报价", "commission_rate")
    assert problem.zh == "底薪 + 提成须填写“提成比例（客服销售额）”"
    assert problem.en == "base fee + commission needs commission rate on sales by customer service"


def test_tiers_must_rise_and_only_the_last_may_be_open(shop):
    tiers_row = row_of(openpyxl.load_workbook(io.BytesIO(shop[3]))["报价"], "tiers")
    data = fill(
        shop[3],
        quote={"model": "tiered"},
        tiers=[(500, None, 2), (300, None, "1.8"), (None, None, "1.5"), (None, None, "1.2")],
    )

    reading = read(shop, data)

    assert [(p.path, p.en) for p in reading.problems] == [
        (f"报价!C{tiers_row + 2}", "up_to must rise from tier to tier (the previous one is 500)"),
        (f"报价!C{tiers_row + 3}", "only the last tier may leave up_to empty (no upper bound)"),
    ]


def test_a_tiered_quote_without_tiers_is_reported(shop):
    tiers_row = row_of(openpyxl.load_workbook(io.BytesIO(shop[3]))["报价"], "tiers")

    reading = read(shop, fill(shop[3], quote={"model": "tiered"}))

    assert [(p.path, p.zh) for p in reading.problems] == [(f"报价!C{tiers_row + 1}", "咨询量阶梯须填写阶梯表")]


def test_a_one_time_fee_without_an_amount_is_reported(shop):
    fees_row = row_of(openpyxl.load_workbook(io.BytesIO(shop[3]))["报价"], "one_time_fees")

    reading = read(
        shop, fill(shop[3], quote={"model": "commission_only", "commission_rate": "3%"}, fees=[("培训费", None)])
    )

    assert [(p.path, p.zh) for p in reading.problems] == [(f"报价!C{fees_row + 1}", "一次性费用“培训费”未填金额")]


def test_an_unpriced_work_item_is_reported_at_its_price_cell(postal):
    reading = read(postal, fill(postal[3], quote={"model": "line_items"}, prices={"chat": "1.5", "ticket": 9}))

    [problem] = reading.problems
    assert problem.path == cell_of(postal[3], "报价清单", "seat", column="E")
    assert problem.zh == "工作项“专席坐席”（seat）未报单价"
    assert problem.en == "work item '专席坐席' (seat) has no unit price"


def test_a_price_for_a_work_item_the_tender_does_not_list_is_refused(postal):
    def add_item(wb):
        ws = wb["报价清单"]
        ws.append(["callback", "回访", "次", None, "3"])

    reading = read(
        postal,
        fill(postal[3], quote={"model": "line_items"}, prices={"chat": 1.5, "ticket": 9, "seat": 6500}, edit=add_item),
    )

    [problem] = reading.problems
    assert problem.path == "报价清单!E7"
    assert problem.zh == "招标文件未列出工作项“callback”，不能为它报价"


def test_unit_prices_under_another_model_are_refused(postal):
    reading = read(
        postal, fill(postal[3], quote={"model": "daily_rate", "rate_per_agent_day": 300}, prices={"chat": 1.5})
    )

    [problem] = reading.problems
    assert problem.path == cell_of(postal[3], "报价清单", "chat", column="E")
    assert "line_items" in problem.zh


def test_a_bad_vendor_fact_is_reported_at_its_cell(shop):
    reading = read(
        shop,
        fill(
            shop[3],
            quote={"model": "commission_only", "commission_rate": "3%"},
            facts={
                "registered_capital": "五百多万",
                "staff_count": "12.5",
                "independent_legal_person": "也许",
                "satisfaction_commitment": "120%",
            },
        ),
    )

    assert [p.path for p in reading.problems] == [
        cell_of(shop[3], "供应商信息", name)
        for name in ("registered_capital", "independent_legal_person", "staff_count", "satisfaction_commitment")
    ]
    assert reading.problems[0].zh.startswith("“注册资本（元）”应为金额")
    assert reading.problems[1].zh == "“具有独立法人资格”应为“是”或“否”，实为“也许”"
    assert reading.problems[2].en == "staff: must be a whole number (got 12.5)"
    assert reading.bid["facts"] == {}


def test_every_problem_is_reported_at_once(shop):
    data = fill(
        shop[3],
        quote={"model": "fixed_per_agent", "monthly_per_agent": "=5000+500", "new_rate": "-1", "vat_rate": "六个点"},
        facts={"registered_capital": "很多"},
    )

    reading = read(shop, data)

    assert sorted(where(reading)) == sorted(
        [
            cell_of(shop[3], "供应商信息", "registered_capital"),
            cell_of(shop[3], "报价", "monthly_per_agent"),
            cell_of(shop[3], "报价", "new_rate"),
            cell_of(shop[3], "报价", "vat_rate"),
        ]
    )


def test_a_workbook_from_another_tender_is_refused(shop):
    tender, _tender_id, version, template = shop
    data = fill(template, quote={"model": "commission_only", "commission_rate": "3%"})

    reading = read_quote(data, tender=tender, tender_id="T-2026-099", version=version)

    [problem] = reading.problems
    assert problem.path == ""
    assert "另一个招标项目（T-2026-001）" in problem.zh and "not of this one (T-2026-099)" in problem.en


def test_a_workbook_from_an_older_version_is_refused(shop):
    tender, tender_id, _version, template = shop  # the template is of version 2
    data = fill(template, quote={"model": "commission_only", "commission_rate": "3%"})

    reading = read_quote(data, tender=tender, tender_id=tender_id, version=3)

    [problem] = reading.problems
    assert problem.zh == "此报价单由第 2 版招标文件生成，招标文件现为第 3 版：请重新下载报价单模板并填写"


def test_a_workbook_not_made_from_a_template_is_refused(shop):
    wb = openpyxl.Workbook()
    wb.active.title = "报价"
    wb.active["A5"], wb.active["C5"] = "model", "commission_only"
    out = io.BytesIO()
    wb.save(out)

    reading = read(shop, out.getvalue())

    assert "缺少模板标记" in reading.problems[0].zh
    assert "供应商信息" in where(reading)  # the facts sheet is missing too


def test_a_word_document_or_garbage_is_a_problem_not_an_exception(shop):
    for data in (b"", b"not a workbook", shop[3][: len(shop[3]) // 2], b"PK\x03\x04" + b"\x00" * 100):
        reading = read(shop, data)
        assert len(reading.problems) == 1 and reading.problems[0].zh
        assert reading.bid == {"facts": {}, "documents": [], "pricing": {}}


def test_rows_a_vendor_inserts_do_not_move_what_is_read(shop):
    def insert_rows(wb):
        ws = wb["报价"]
        ws.insert_rows(6, amount=3)  # above the parameters
        ws.cell(row=6, column=2, value="我方说明：报价有效期 90 天")
        ws.insert_rows(row_of(ws, "one_time_fees") + 1)  # inside the fees table

    data = fill(shop[3], quote={"model": "fixed_per_agent", "monthly_per_agent": 5500}, edit=insert_rows)
    reading = read(shop, data)
    assert reading.problems == []
    assert reading.bid["pricing"] == {"model": "fixed_per_agent", "monthly_per_agent": D(5500)}


def test_a_row_whose_code_was_cleared_is_found_by_its_label(shop):
    def clear_code(wb):
        ws = wb["报价"]
        ws.cell(row=row_of(ws, "monthly_per_agent"), column=1).value = None

    data = fill(shop[3], quote={"model": "fixed_per_agent", "monthly_per_agent": "5500"}, edit=clear_code)

    assert read(shop, data).bid["pricing"] == {"model": "fixed_per_agent", "monthly_per_agent": D(5500)}


def test_a_value_typed_into_merged_cells_is_read(shop):
    def merge(wb):
        ws = wb["报价"]
        row = row_of(ws, "monthly_per_agent")
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)

    data = fill(shop[3], quote={"model": "fixed_per_agent", "monthly_per_agent": "5,500元"}, edit=merge)

    assert read(shop, data).bid["pricing"] == {"model": "fixed_per_agent", "monthly_per_agent": D(5500)}


def test_an_english_template_reads_the_same(shop):
    tender, tender_id, version, _template = shop
    template = build_quote_template(tender, tender_id=tender_id, version=version, lang="en")

    reading = read(shop, fill(template, quote={"model": "hourly_rate", "rate_per_agent_hour": "32.5"}))

    assert reading.problems == []
    assert reading.bid["pricing"] == {"model": "hourly_rate", "rate_per_agent_hour": D("32.5")}


def test_a_tiers_table_under_another_model_is_refused_at_its_first_filled_row(shop):
    tiers_row = row_of(openpyxl.load_workbook(io.BytesIO(shop[3]))["报价"], "tiers")

    def leave_a_blank_first_tier(wb):
        ws = wb["报价"]
        ws.cell(row=tiers_row + 2, column=5, value="2.5")

    reading = read(
        shop, fill(shop[3], quote={"model": "daily_rate", "rate_per_agent_day": 260}, edit=leave_a_blank_first_tier)
    )

    [problem] = reading.problems
    assert problem.path == f"报价!C{tiers_row + 2}"
    assert problem.zh == "阶梯表只用于咨询量阶梯报价，所选报价方式为“按天”：请清空阶梯表"
    assert reading.bid["pricing"] == {"model": "daily_rate", "rate_per_agent_day": D(260)}


def test_rows_inserted_above_the_rate_card_do_not_move_what_is_read(postal):
    def insert_above(wb):
        wb["报价清单"].insert_rows(2, amount=2)

    data = fill(
        postal[3], quote={"model": "line_items"}, prices={"chat": 1.5, "ticket": 9, "seat": 6500}, edit=insert_above
    )

    reading = read(postal, data)
    assert reading.problems == []
    assert reading.bid["pricing"]["prices"] == {"chat": D("1.5"), "ticket": D(9), "seat": D(6500)}
