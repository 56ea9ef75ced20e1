"""Reading a table of months — pasted from a spreadsheet or uploaded as last year's monthly
volumes (.xlsx, .csv) — into the rows of the tender form's month table (domain §10)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from tender.documents.month_table import month_key, read_rows, read_text
from tender.documents.volume_upload import read_volume_file


def months(reading) -> list[tuple]:
    return [(m.label, m.daily_inquiries, m.days, m.agents_per_shift, m.peak_days, m.cs_sales) for m in reading.months]


# --------------------------------------------------------------------------- pasted text


def test_rows_copied_from_a_spreadsheet_are_read_in_the_form_s_column_order():
    text = "2027-01\t1650\n2027-02 春节\t900\t28\n2027-06 618\t4000\t30\t10\t3\t2400000\n"
    reading = read_text(text)
    assert not reading.problems and not reading.header
    assert months(reading) == [
        ("2027-01", 1650, None, None, None, None),
        ("2027-02 春节", 900, 28, None, None, None),
        ("2027-06 618", 4000, 30, 10, 3, 2400000),
    ]


def test_a_single_column_of_numbers_is_the_daily_inquiries_of_months_1_2_3():
    reading = read_text("1650\n1,700\n2万\n")
    # "2万" is 20,000, as the price sheet reads it
    assert months(reading) == [
        ("1", 1650, None, None, None, None),
        ("2", 1700, None, None, None, None),
        ("3", 20000, None, None, None, None),
    ]


def test_comma_separated_rows_with_an_english_header_in_another_order():
    reading = read_text("seats,month,daily inquiries\n6,Jan,1650\n10,Jun,4000\n")
    assert reading.header and reading.columns == {
        "agents_per_shift": "seats",
        "label": "month",
        "daily_inquiries": "daily inquiries",
    }
    assert months(reading) == [("Jan", 1650, None, 6, None, None), ("Jun", 4000, None, 10, None, None)]


def test_a_month_s_total_is_turned_into_a_daily_figure_by_the_month_s_days():
    text = "店铺接待数据（2025 年）\n月份\t咨询量（次）\n2025-01\t1,550,000\n2025年2月\t840000\n2025/3\t1000000\n合计\t3390000\n"
    reading = read_text(text)
    assert reading.header and reading.converted and not reading.problems
    # 1,550,000 ÷ 31 = 50,000; 840,000 ÷ 28 = 30,000; 1,000,000 ÷ 31 = 32,258.0645… → 32,258.06
    # (half-up to 0.01); each month's days are its calendar days; the 合计 row is left out
    assert months(reading) == [
        ("2025-01", 50000, 31, None, None, None),
        ("2025年2月", 30000, 28, None, None, None),
        ("2025/3", Decimal("32258.06"), 31, None, None, None),
    ]
    assert [m.total_inquiries for m in reading.months] == [1550000, 840000, 1000000]


def test_a_days_column_divides_the_total_instead_of_the_calendar():
    reading = read_text('月份,接待量,天数\n2025-02,"900,000",30\n')
    # 900,000 ÷ 30 days (the column, not February's 28) = 30,000
    assert months(reading) == [("2025-02", 30000, 30, None, None, None)]


def test_february_without_a_year_has_28_days_and_a_leap_year_29():
    assert month_key("2月").days == 28 and month_key("2024-02").days == 29 and month_key("Feb 2023").days == 28
    reading = read_text("月份\t咨询量\n2月\t56000\n2024-02\t58000\n")
    # 56,000 ÷ 28 = 2,000; 58,000 ÷ 29 = 2,000
    assert [m.daily_inquiries for m in reading.months] == [2000, 2000]


def test_rows_of_single_days_are_added_up_month_by_month():
    rows = (
        [["日期", "接待人数"]]
        + [[dt.datetime(2025, 1, day), 1000 + day] for day in range(1, 32)]
        + [[dt.date(2025, 2, day), 500] for day in range(1, 29)]
    )
    reading = read_rows(rows)
    # January: Σ (1001 … 1031) = 31 × 1016 = 31,496 over 31 days → 1,016 a day; February 28 × 500 ÷ 28 = 500
    assert months(reading) == [("2025-01", 1016, 31, None, None, None), ("2025-02", 500, 28, None, None, None)]


def test_a_date_on_each_month_s_first_day_names_the_month_not_a_day():
    rows = [["统计月份", "咨询量"], [dt.datetime(2025, 1, 1), 31000], [dt.datetime(2025, 2, 1), 28000]]
    # one row per month: the month's total ÷ its calendar days (31,000 ÷ 31, 28,000 ÷ 28)
    assert months(read_rows(rows)) == [("2025-01", 1000, 31, None, None, None), ("2025-02", 1000, 28, None, None, None)]


def test_work_item_columns_are_found_by_their_id_or_name():
    reading = read_text(
        "月份\t日均咨询量\t在线咨询\temail\n2027-01\t1650\t1200\t300\n",
        work_items={"chat": "在线咨询", "email": "邮件工单"},
    )
    assert reading.months[0].work_quantities == (("chat", Decimal(1200)), ("email", Decimal(300)))


@pytest.mark.parametrize(
    "text, where, message",
    [
        ("月份\t咨询量\n2025-01\tabc\n", "B2", "咨询量: must be a number, got 'abc'"),
        ("月份\t日均咨询量\n2025-01\t-5\n", "B2", "日均咨询量: must not be negative (-5)"),
        ("月份\t咨询量\n2025-01\t\n", "B2", "咨询量: is empty"),
        ("月份\t日均咨询量\t大促天数\n2025-11\t6500\t40\n", "C2", "大促天数: a month has at most 31 days (40)"),
        ("名称\t咨询量\n第一个月\t30000\n", "A2", "the days of '第一个月' are unknown"),
        ("月份\t咨询量\n2025-01\t31000\n2025-01\t31000\n", "A3", "the month '2025-01' is repeated (as on row 2)"),
        ("月份\t坐席\n2025-01\t6\n", "A1", "the header has no inquiries column"),
    ],
)
def test_a_value_that_cannot_be_read_is_named_at_its_cell_and_no_month_is_returned(text, where, message):
    reading = read_text(text)
    assert reading.months == []
    assert [p.path for p in reading.problems] == [where]
    assert message in reading.problems[0].en


def test_every_problem_of_the_table_is_reported_at_once_in_both_languages():
    reading = read_text("月份\t咨询量\n2025-01\tabc\n2025-02\t-1\n")
    assert [(p.path, p.zh) for p in reading.problems] == [
        ("B2", "“咨询量”应为数字，实为“abc”"),
        ("B3", "“咨询量”不能为负数（-1）"),
    ]


# --------------------------------------------------------------------------- uploaded files


def xlsx(rows, title: str = "接待数据") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_exported_workbook_is_read_with_its_cells_named_by_sheet():
    data = xlsx([["2025 年度店铺接待量"], [], ["统计月份", "咨询量"], ["2025-01", 1550000], ["2025-02", 840000]])
    reading = read_volume_file("接待数据.xlsx", data)
    assert months(reading) == [("2025-01", 50000, 31, None, None, None), ("2025-02", 30000, 28, None, None, None)]
    bad = xlsx([["统计月份", "咨询量"], ["2025-01", "一百万"]])
    assert [(p.path, p.en) for p in read_volume_file("接待数据.xlsx", bad).problems] == [
        ("接待数据!B2", "咨询量: must be a number, got '一百万'")
    ]


def test_the_sheet_with_an_inquiries_header_is_chosen():
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由客服系统导出"])
    data_sheet = book.create_sheet("月度")
    for row in (["month", "inquiries"], ["2025-01", 310000]):
        data_sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    # 310,000 ÷ 31 = 10,000
    assert months(read_volume_file("export.xlsx", out.getvalue())) == [("2025-01", 10000, 31, None, None, None)]


def test_a_csv_in_gb18030_as_a_chinese_excel_saves_it_is_read():
    data = '月份,接待量\r\n2025-01,1550000\r\n2025-06,"2,400,000"\r\n'.encode("gb18030")
    # 2,400,000 ÷ 30 = 80,000
    assert months(read_volume_file("接待量.csv", data)) == [
        ("2025-01", 50000, 31, None, None, None),
        ("2025-06", 80000, 30, None, None, None),
    ]
    utf8 = "\ufeffmonth;inquiries\n2025-01;1550000\n".encode("utf-8")
    assert months(read_volume_file("export.csv", utf8)) == [("2025-01", 50000, 31, None, None, None)]


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "volumes.txt",
            b"month,inquiries\n",
            "only .xlsx workbooks and .csv files are accepted; this file's extension is .txt",
        ),
        ("volumes.csv", b"month,inq\x00uiries\n", "this is not a text CSV file"),
        ("volumes.csv", b"", "the file is empty"),
        ("volumes.xlsx", b"month,inquiries\n2025-01,1\n", "this is not an Excel workbook"),
        ("volumes.csv", b"x" * (5 * 1024 * 1024 + 1), "the file is too large"),
    ],
)
def test_a_file_that_is_not_a_table_of_volumes_is_refused_with_the_reason(name, data, message):
    reading = read_volume_file(name, data)
    assert reading.months == [] and len(reading.problems) == 1
    assert message in reading.problems[0].en and reading.problems[0].path == name


def test_a_macro_workbook_or_a_zip_bomb_is_refused_before_openpyxl_reads_it():
    good = xlsx([["month", "inquiries"], ["2025-01", 31000]])
    source = zipfile.ZipFile(io.BytesIO(good))
    with_macro = io.BytesIO()
    with zipfile.ZipFile(with_macro, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert "macros" in read_volume_file("volumes.xlsx", with_macro.getvalue()).problems[0].en
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/media/padding.bin", b"\x00" * (30 * 1024 * 1024))
    assert "zip bomb" in read_volume_file("volumes.xlsx", bomb.getvalue()).problems[0].en
