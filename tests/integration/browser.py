"""A tiny form reader for tests: the data a browser would post for a page's form.

It reads ``<input>``, ``<select>`` and ``<textarea>`` values (checked boxes only, the
selected options), so a test can load a page, change a few fields and post it back, as a
user does, and round-trip problems show up.
"""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = MultiDict()
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option_value: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (self.form_id is None or a.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.add(a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.data.add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.data.add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            for newline in ("\r\n", "\n"):  # the newline a textarea's opening tag may carry
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self.data.add(self._textarea, text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


class FormData(MultiDict):
    """Posted form data; ``update`` replaces values, as typing into a field does."""

    def update(self, values=(), **kwargs):
        for key, value in dict(values, **kwargs).items():
            self.setlist(key, [value])


def form_data(html: str, form_id: str | None = None) -> FormData:
    parser = _FormParser(form_id)
    parser.feed(html)
    return FormData(parser.data)
