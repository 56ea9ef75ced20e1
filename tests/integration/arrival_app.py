"""A tiny WSGI app for the gunicorn worker test: /slow holds its thread for a second,
/stamp answers with the time of receipt the arrival middleware gave it."""

from __future__ import annotations

import time

from tender.platform.request_time import RECEIVED_AT, ArrivalStamp


def _app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(1.0)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ[RECEIVED_AT]:.6f}".encode()]


app = ArrivalStamp(_app)
