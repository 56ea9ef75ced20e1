"""Every page of the demo, and both reports, speak to a person in one language and in plain words.

The walk signs in as the demo's buyer, an evaluator, two vendors (one of them the bid the
panel rejected) and the administrator, switches to Chinese or English, and follows every
link of the site from the home page (GET only), downloading the Excel and Word reports on
the way. Each page's visible text (text nodes and the ``title``, ``alt``, ``placeholder``
and ``aria-label`` a person reads) is checked once the demo's user data is taken out.

What counts as a code: a snake_case identifier (``business_license``,
``first_response_seconds_max``), a dotted data path (``scores.评标专家 孙.…``,
``service_scope.platforms``), a platform code in lower case (``taobao``) and, on a Chinese
page, any code of the domain's vocabulary standing alone (a criterion id such as ``plan``,
a pricing model, a fact, a status). The other language: on an English page any Chinese
character; on a Chinese page an English phrase of three or more words.

What is user data, and so may be in either language: what the demo's people typed — the
tender's title, description, labels and criterion names, company and person names, file
names, the panel's notes, the vendors' bid documents. It is taken out verbatim from the
pages before the checks, from the demo's own source files (``samples/``, ``tender/demo/seed.py``).
Regions marked ``data-verbatim`` are records shown exactly as stored (the audit trail's
object, details and hash; a vendor's bid document as read; the syntax a form field takes)
and are not checked; the marker is kept for those three and nothing else.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import docx
import pytest
from flask_babel import refresh
from openpyxl import load_workbook

from scoring.facts import CODE_LABELS, DOCUMENTS, PLATFORMS, STANDARD_FACTS
from scoring.lifecycle import STATES as TENDER_STATUSES
from scoring.pricing import MODELS, PARAMETERS
from tender.demo import seed
from tender.models import BID_VERSION_STATUSES
from tender.platform.extensions import db
from tender.platform.i18n import LANGUAGE_NAMES
from tests.integration.conftest import seed_demo

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
WALKERS = ("buyer@demo.cn", "expert1@demo.cn", "vendor1@demo.cn", "vendor2@demo.cn", "admin@demo.cn")
TEXT_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
SKIPPED = ("script", "style", "textarea")  # a textarea holds what the user types, not what the app says

SNAKE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@])")
DOTTED = re.compile(r"(?<![\w@/])[a-z_]{2,}\.[a-z_\u4e00-\u9fff]{2,}(?:\.[\w\u4e00-\u9fff]+)*")
FILE_NAME = re.compile(r"\.(?:xlsx|docx|json|pdf|svg|png|cn)\b")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]+){2,}")
PLATFORM_CODES = re.compile(r"\b(?:" + "|".join(c for c in PLATFORMS if "_" not in c) + r")\b")


def _vocabulary() -> set[str]:
    """The domain's codes: a Chinese page never shows one of these as a Latin word."""
    tender = json.loads((SAMPLES / "tender.json").read_text(encoding="utf-8"))
    words = {
        *MODELS,
        *PARAMETERS,
        *STANDARD_FACTS,
        *CODE_LABELS,
        *DOCUMENTS,
        *TENDER_STATUSES,
        *BID_VERSION_STATUSES,
        "abnormal_low",
        "peak_not_priced",
        "covers",
        "present",
        "lowest_price",
        "average_deviation",
        "trimmed_mean",
        "mean",
        "objective",
        "subjective",
    }
    words |= {c["id"] for c in tender["criteria"]}
    return words


VOCABULARY = _vocabulary()


def _strings(value, keys: set[str] | None = None) -> list[str]:
    """Every string in a JSON value (under ``keys`` only, when given)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if keys is None or key in keys:
                found += _strings(item, None if keys is None or isinstance(item, str) else keys)
            elif isinstance(item, (dict, list)):
                found += _strings(item, keys)
    elif isinstance(value, list):
        for item in value:
            found += _strings(item, keys)
    elif isinstance(value, str):
        found.append(value)
    return found


def user_data() -> list[str]:
    """What the demo's people typed, longest first (so a title goes before a word of it)."""
    tender = json.loads((SAMPLES / "tender.json").read_text(encoding="utf-8"))
    lots = json.loads((SAMPLES / "lots" / "tender.json").read_text(encoding="utf-8"))
    texts = _strings(
        [tender, lots],
        {
            "title",
            "buyer",
            "description",
            "project_code",
            "opening_place",
            "service_hours",
            "days",
            "label",
            "label_en",
            "name",
            "name_en",
            "required_sections",
            "unit",
        },
    )
    texts += [seed.OPEN_TITLE, seed.CLOSED_TITLE, seed.EVALUATED_TITLE, seed.LOTS_TITLE, seed.REJECTION_NOTE]
    texts += [seed.VOTE_NOTE]
    texts += [name for _email, name, _role in seed.ACCOUNTS] + [email for email, _name, _role in seed.ACCOUNTS]
    for name in seed.VENDOR_BIDS:
        bid = json.loads((SAMPLES / "bids" / f"{name}.json").read_text(encoding="utf-8"))
        company = bid["facts"]["company_name"]
        texts += [company, f"{company[:6]} 投标联系人"]
        texts += [fee["label"] for fee in bid["pricing"].get("one_time_fees", [])]
    texts += [f"vendor{n}@demo.cn" for n in range(1, 6)] + ["报价单.xlsx", "投标文件.docx"]
    for section in tender["required_sections"]:  # the demo's bid documents (tender.demo.files)
        texts += [f"{section}：本节说明我方的{section}。"]
    texts += ["投标文件", *LANGUAGE_NAMES.values()]
    # plain English words typed by the demo's people ("price", "service plan") need no exemption
    # and would hide the same words in the app's own sentences
    return sorted({t for t in texts if t.strip() and not t.isascii() or "@" in t}, key=len, reverse=True)


USER_DATA = user_data()


class VisibleText(HTMLParser):
    """The text a person reads on a page, without the verbatim records."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    @property
    def hidden(self) -> bool:
        return any(hide for _tag, hide in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"):
            if not self.hidden:
                self.parts += [attributes[a] for a in TEXT_ATTRIBUTES if attributes.get(a)]
            return
        hide = tag in SKIPPED or "data-verbatim" in attributes
        self.stack.append((tag, hide))
        if not self.hidden:
            self.parts += [attributes[a] for a in TEXT_ATTRIBUTES if attributes.get(a)]

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def page_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def without_user_data(text: str) -> str:
    for item in USER_DATA:
        if item in text:
            text = text.replace(item, " ")
    return text


def problems_in(text: str, lang: str) -> list[str]:
    """What a person should not read in ``text``: codes and paths anywhere (a path runs through
    user data: ``scores.评标专家 孙.…``), the other language once the user data is taken out."""
    rest = without_user_data(text)
    found = [f"code {m!r}" for m in SNAKE.findall(text)]
    found += [f"data path {m!r}" for m in DOTTED.findall(text) if not FILE_NAME.search(m)]
    found += [f"platform code {m!r}" for m in PLATFORM_CODES.findall(rest)]
    if lang == "en":
        found += [f"Chinese {m!r}" for m in re.findall(r"\S*[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+\S*", rest)]
    else:
        found += [f"English {m!r}" for m in ENGLISH_PHRASE.findall(rest)]
        found += [f"code {w!r}" for w in re.findall(r"(?<![\w@./-])[a-z][a-z0-9_]+(?![\w@])", rest) if w in VOCABULARY]
    return found


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def walk(app, email: str, lang: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every page reachable by links from the home page, and the reports found on the way."""
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": seed.PASSWORD})
    client.post(f"/language/{lang}", data={"next": "/"})
    pages, reports, todo, seen = {}, {}, ["/"], set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        refresh()  # the test's app context outlives a request: let each request choose its language
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            todo.append(urlparse(response.headers["Location"]).path)
            continue
        assert response.status_code == 200, (email, url, response.status_code)
        kind = response.headers.get("Content-Type", "")
        if url.endswith(("/report.docx", "/report.xlsx")):
            reports[url] = response.data
        if "text/html" not in kind:
            continue
        html = response.get_data(as_text=True)
        pages[url] = html
        finder = LinkFinder()
        finder.feed(html)
        for link in finder.links:
            target = urlparse(urljoin(url, link))
            if target.netloc or target.path.startswith("/static") or "logout" in target.path:
                continue
            todo.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages, reports


def report_texts(url: str, data: bytes) -> list[str]:
    """The text of a Word or Excel report; the audit sheet's object, details and hash are the
    record as stored (verbatim), as on the audit page."""
    if url.endswith(".docx"):
        document = docx.Document(io.BytesIO(data))
        texts = [p.text for p in document.paragraphs]
        texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        for section in document.sections:
            texts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return [t for t in texts if t.strip()]
    book = load_workbook(io.BytesIO(data))
    texts = list(book.sheetnames)
    for index, ws in enumerate(book.worksheets):
        audit = index == len(book.worksheets) - 1
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.strip():
                    if audit and cell.column >= 5 and cell.row > 4:
                        continue
                    texts.append(cell.value)
    return texts


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_page_and_report_of_the_demo_is_in_one_language_without_codes(app, runner, lang):
    seed_demo(app, runner)
    db.session.remove()
    found, walked, downloads = [], set(), 0
    short = "en" if lang == "en" else "zh"
    for email in WALKERS:
        pages, reports = walk(app, email, lang)
        walked |= {re.sub(r"/[A-Za-z0-9_-]{16}(?=/|$)", "/<id>", url) for url in pages}
        downloads += len(reports)
        for url, html in pages.items():
            for text in page_texts(html):
                found += [f"{email} {url}: {problem} in {text[:120]!r}" for problem in problems_in(text, short)]
        for url, data in reports.items():
            for text in report_texts(url, data):
                found += [f"{email} {url}: {problem} in {text[:120]!r}" for problem in problems_in(text, short)]
    # the walk saw the whole demo: the pages the issue names among them, and both reports twice
    assert {
        "/results/<id>",
        "/evaluator/tenders/<id>/review",
        "/evaluator/tenders/<id>/scores",
        "/vendor/submissions/<id>",
        "/vendor/bids/<id>/outcome",
        "/admin/audit",
        "/buyer/tenders/<id>",
        "/results/<id>/opening-record",
        "/evaluator/tenders/<id>/bids/<id>/document",
    } <= walked, sorted(walked)
    assert len(walked) >= 25 and downloads == 4, (len(walked), downloads)
    assert not found, "\n".join(sorted(set(found))[:80])


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("business_license / document business_license not provided", "en", ["code 'business_license'"] * 2),
        ("scores.评标专家 孙.杭州云客服科技有限公司.plan: 打分无效", "zh", ["data path 'scores.评标专家'"]),
        (
            "service_scope.platforms / 服务平台：申报 淘宝",
            "zh",
            ["code 'service_scope'", "data path 'service_scope.platforms'"],
        ),
        (
            "申报 taobao, tmall",
            "zh",
            ["platform code 'taobao'", "platform code 'tmall'", "code 'taobao'", "code 'tmall'"],
        ),
        ("plan", "zh", ["code 'plan'"]),
        (
            "服务平台：申报 淘宝，缺少 京东",
            "en",
            ["Chinese '服务平台：申报'", "Chinese '淘宝，缺少'", "Chinese '京东'"],
        ),
        (
            "首次响应时间 / first response time is too slow",
            "zh",
            ["English 'first response time is too slow'", "code 'response'"],
        ),
        ("platforms: declared Taobao, missing JD", "en", []),
        ("服务平台：申报 淘宝，缺少 京东", "zh", []),
        ("云裳旗舰店 电商客服外包服务项目（演示：已评标） · Results", "en", []),  # a tender title is user data
        ("报价单.xlsx · SHA-256 · 2026-12-18 17:30 (UTC+8)", "zh", []),
    ],
)
def test_the_check_tells_codes_and_the_other_language_from_plain_words(text, lang, expected):
    assert sorted(problems_in(text, lang)) == sorted(expected)
