"""Response headers on every page, the upload size limit (413 with a page that says the
limit), and downloads as attachments with safe names (OWASP ASVS §12, §14)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tender import create_app
from tender.models import AuditRecord, BidVersion, StoredFile
from tender.platform.extensions import db
from tender.platform.security import content_disposition, safe_filename
from tests.integration.conftest import PASSWORD, app_config, make_user
from tests.integration.helpers import document_file, published, quote_file, submit

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def assert_security_headers(response, where):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp or "default-src 'none'" in csp, where
    assert "frame-ancestors 'none'" in csp or "sandbox" in csp, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("Server") == "tender", where
    assert "X-Powered-By" not in headers, where


def test_every_page_carries_the_security_headers(app, client, auth, users):
    tender = published(users["buyer"])
    paths = [
        "/",
        "/auth/login",
        "/auth/register",
        "/static/style.css",
        "/no/such/page",
        f"/vendor/tenders/{tender.public_id}",
    ]
    for path in paths:
        with client.get(path) as response:
            assert_security_headers(response, path)
    for role, pages in {
        "buyer": ["/buyer/tenders/", f"/buyer/tenders/{tender.public_id}"],
        "vendor": [
            "/vendor/tenders",
            f"/vendor/tenders/{tender.public_id}",
            f"/vendor/tenders/{tender.public_id}/price-sheet.xlsx",
        ],
        "admin": ["/admin/users", "/admin/audit"],
    }.items():
        auth.login(users[role])
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_security_headers(response, path)
            assert response.headers["Cache-Control"] == "no-store", path  # signed-in pages are never cached
        auth.logout()


def test_the_error_pages_and_refusals_carry_them_too(client, auth, users):
    auth.login(users["vendor"])
    for response in (client.get("/buyer/tenders/"), client.get("/vendor/bids/nope"), client.post("/")):
        assert response.status_code in (403, 404, 405)
        assert_security_headers(response, response.status_code)


def test_no_template_has_inline_script_or_event_handlers_the_policy_would_block():
    inline = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", text):
            inline.append(f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert not inline, "inline script or style is blocked by the Content-Security-Policy:\n" + "\n".join(inline)


def test_strict_transport_security_over_https(client):
    assert "Strict-Transport-Security" in client.get("/", base_url="https://tender.example.cn").headers
    assert "Strict-Transport-Security" not in client.get("/").headers


# --------------------------------------------------------------------------- 413


def multipart(files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body built in memory (the test client would spool a large one to a file)."""
    boundary = "----tender-test-boundary"
    parts = []
    for field, (filename, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def small_app(tmp_path):
    """The app with a 1 MB upload limit."""
    app = create_app(
        app_config(
            tmp_path, MAX_CONTENT_LENGTH=1024 * 1024, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'small.sqlite'}"
        )
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    "lang, says",
    [
        ("en", ["Upload too large", "larger than 1 MB together", "Nothing was stored"]),
        ("zh_CN", ["上传的文件太大", "1 MB", "没有保存任何内容"]),
    ],
)
def test_an_upload_over_the_limit_gets_a_413_page_that_says_the_limit(small_app, lang, says):
    vendor = make_user("vendor", "v@example.cn", locale=lang)
    buyer = make_user("buyer", "b@example.cn")
    tender = published(buyer)
    client = small_app.test_client()
    client.post("/auth/login", data={"email": vendor.email, "password": PASSWORD})
    padding = b"\0" * (1024 * 1024)
    body, content_type = multipart(
        {"quote": ("报价单.xlsx", quote_file(tender)), "document": ("投标文件.docx", document_file(tender) + padding)}
    )
    response = client.post(f"/vendor/tenders/{tender.public_id}/bid", data=body, content_type=content_type)
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    for words in says:
        assert words in text
    assert "<nav" in text and "/static/style.css" in text  # the whole site page, not a bare error
    assert_security_headers(response, "413")
    assert BidVersion.query.count() == 0 and StoredFile.query.count() == 0
    assert AuditRecord.query.filter(AuditRecord.action.like("bid_%")).count() == 0


def test_the_upload_limit_is_configured():
    from tender.platform.config import Config

    assert Config.MAX_CONTENT_LENGTH == 30 * 1024 * 1024


# --------------------------------------------------------------------------- downloads


def test_a_vendor_download_is_an_attachment_with_a_chinese_name_and_nosniff(client, auth, users):
    tender = published(users["buyer"])
    version = submit(users["vendor"], tender)
    auth.login(users["vendor"])
    document = next(f for f in version.files if f.kind == "document")
    response = client.get(f"/vendor/files/{document.public_id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="' in disposition and disposition.isascii()
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)) == "投标文件.docx"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "given, safe",
    [
        ("投标文件.docx", "投标文件.docx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\bid\\报价单.xlsx", "报价单.xlsx"),
        ("bid\u202excod.exe", "bidxcod.exe"),  # right-to-left override removed, the real extension shows
        ('a"b;\r\nSet-Cookie: x=1.docx', "a_b;Set-Cookie_ x=1.docx"),
        ("...hidden.docx", "hidden.docx"),
        ("", "download"),
        ("\x00\x01", "download"),
        ("长" * 300 + ".docx", "长" * 145 + ".docx"),
    ],
)
def test_file_names_are_made_safe_for_downloads(given, safe):
    assert safe_filename(given) == safe


def test_the_content_disposition_header_has_an_ascii_fallback_and_rfc5987_name():
    header = content_disposition("报价单 (第2版).xlsx")
    assert header.isascii() and "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="2.xlsx"') or header.startswith('attachment; filename="')
    assert unquote(header.split("filename*=UTF-8''")[1]) == "报价单 (第2版).xlsx"
    assert content_disposition("receipt.json") == 'attachment; filename="receipt.json"'
