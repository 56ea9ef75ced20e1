"""The low-level Word pieces python-docx has no API for: East Asian fonts, fields,
repeated header rows, fixed column widths, a fast table body and a draft watermark.

Table bodies are written as one XML string and parsed once: a 500-bid report has tens of
thousands of cells, and python-docx's per-cell API would take many seconds for them.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from tender.reports.safe import xml_text
from tender.reports.sheets import width as display_width
from tender.reports.view import number

LATIN = "Times New Roman"
LATIN_HEADING = "Arial"
EAST_ASIA = "宋体"  # SimSun: the body font of PRC procurement documents
EAST_ASIA_HEADING = "黑体"  # SimHei
TABLE_STYLE = "Table Grid"
CELL_STYLE = "Report Table Text"
HEADER_FILL = "DDEBF7"
PORTRAIT_TWIPS = 9638  # A4 21 cm less 2 × 2 cm margins
LANDSCAPE_TWIPS = 14570  # A4 29.7 cm less 2 × 2 cm margins


def money(value) -> str:
    value = number(value) if not isinstance(value, Decimal) else value
    return "—" if value is None else f"{value:,.2f}"


def quantity(value: Decimal) -> str:
    """A count or share as given, with thousands separators: 1,500,000 · 0.35 · 800."""
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return f"{value:,f}"


def score(value) -> str:
    value = number(value) if not isinstance(value, Decimal) else value
    return "" if value is None else f"{value:.2f}"


def set_fonts(style, latin: str, east_asia: str) -> None:
    """Latin and East Asian font of a style; theme fonts removed so they cannot override."""
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def prepare_styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    set_fonts(normal, LATIN, EAST_ASIA)
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for level, size in ((1, 15), (2, 12), (3, 10.5)):
        heading = styles[f"Heading {level}"]
        set_fonts(heading, LATIN_HEADING, EAST_ASIA_HEADING)
        heading.font.size = Pt(size)
        heading.font.color.rgb = None
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 8)
        heading.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    set_fonts(title, LATIN_HEADING, EAST_ASIA_HEADING)
    title.font.size = Pt(22)
    title.font.color.rgb = None
    for name in ("Header", "Footer", "Caption"):
        set_fonts(styles[name], LATIN, EAST_ASIA)
    cell = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.space_before = Pt(0)
    cell.paragraph_format.line_spacing = 1.0


def field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out."""
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}><w:t>{placeholder}</w:t></w:r>",
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))


# Word's definition of the "plain text" WordArt shape (o:spt 136) a watermark is drawn with
_TEXT_SHAPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(
        f'<v:f eqn="{eqn}"/>'
        for eqn in (
            "sum #0 0 10800",
            "prod #0 2 1",
            "sum 21600 0 @1",
            "sum 0 0 @2",
            "sum 21600 0 @3",
            "if @0 @3 0",
            "if @0 21600 @1",
            "if @0 0 @2",
            "if @0 @4 21600",
            "mid @5 @6",
            "mid @8 @5",
            "mid @7 @8",
            "mid @6 @7",
            "sum @6 0 @5",
        )
    )
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
)


def watermark(paragraph, text: str) -> None:
    """A grey diagonal text watermark (VML, as Word writes it) behind every page of a section."""
    text = escape(xml_text(text), {'"': "&quot;"})
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:pict xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office">'
            f"{_TEXT_SHAPE}"
            '<v:shape id="DraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;'
            "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
            'mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#d8d8d8" stroked="f">'
            '<v:fill opacity=".5"/>'
            f'<v:textpath style="font-family:&quot;{EAST_ASIA_HEADING}&quot;;font-size:1pt" on="t" string="{text}"/>'
            "</v:shape></w:pict></w:r>"
        )
    )


def column_widths(header: list[str], rows: list[list[str]], total_twips: int) -> list[int]:
    """Column widths (twips): narrow columns get what their text needs, wide ones share the rest.

    A display unit (half a Chinese character) of 9 pt text is about 95 twips. If the
    natural widths fit the page they are spread out to fill it; otherwise the widest
    columns are cut down to a common cap (water filling) and wrap.
    """
    needs = []
    for index, title in enumerate(header):
        longest = max([max(display_width(line) for line in str(r[index]).split("\n")) for r in rows[:300]] or [0])
        split = str(title).replace("（", " （").split()
        words = max(display_width(word) for word in split) if split else 0
        needs.append(max(longest, min(words, 16), 3) * 100 + 280)
    if sum(needs) <= total_twips:
        scale = total_twips / sum(needs)
        return [int(n * scale) for n in needs]
    low, high = 0, max(needs)
    while high - low > 1:
        cap = (low + high) // 2
        if sum(min(n, cap) for n in needs) > total_twips:
            high = cap
        else:
            low = cap
    widths = [min(n, low) for n in needs]
    widths[widths.index(max(widths))] += total_twips - sum(widths)
    return widths


def _cell(text: str, width: int, align: str | None, header: bool, fill: str | None) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if header or fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL if header else fill}"/>'
    paragraphs = []
    for line in xml_text(str(text)).split("\n") or [""]:
        ppr = f'<w:pStyle w:val="{CELL_STYLE.replace(" ", "")}"/>'
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        rpr = "<w:rPr><w:b/></w:rPr>" if header else ""
        run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else ""
        paragraphs.append(f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paragraphs)}</w:tc>"


def table(
    document,
    header: list[str],
    rows: list[list[str]],
    *,
    total_twips: int,
    align: list[str | None] | None = None,
    widths: list[int] | None = None,
    fills: list[str | None] | None = None,
    row_height: int | None = None,
):
    """A bordered table with a shaded, repeated header row; every cell is plain text."""
    align = align or [None] * len(header)
    widths = widths or column_widths(header, rows, total_twips)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    height = f'<w:trHeight w:val="{row_height}"/>' if row_height else ""
    body = [
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        f"{''.join(_cell(h, w, 'center', True, None) for h, w in zip(header, widths))}</w:tr>"
    ]
    for index, row in enumerate(rows):
        fill = fills[index] if fills else None
        cells = "".join(_cell(value, w, a, False, fill) for value, w, a in zip(row, widths, align))
        body.append(f"<w:tr><w:trPr><w:cantSplit/>{height}</w:trPr>{cells}</w:tr>")
    table = document.add_table(rows=0, cols=len(header))
    table.style = document.styles[TABLE_STYLE]
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_width = tbl_pr.find(qn("w:tblW"))
    if tbl_width is None:
        tbl_width = parse_xml(f"<w:tblW {nsdecls('w')}/>")
        tbl_pr.append(tbl_width)
    tbl_width.set(qn("w:w"), str(sum(widths)))
    tbl_width.set(qn("w:type"), "dxa")
    layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(layout)
    else:
        tbl_pr.append(layout)
    old_grid = tbl.find(qn("w:tblGrid"))
    tbl.replace(old_grid, parse_xml(f"<w:tblGrid {nsdecls('w')}>{grid}</w:tblGrid>"))
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(body)}</w:tbl>")
    for tr in list(parsed):
        tbl.append(tr)
    return table
