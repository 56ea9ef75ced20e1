"""A tiny WSGI app for the gunicorn worker test: /slow holds its thread for ``HOLD`` seconds
(it first touches the file named by ``ARRIVAL_BUSY_FILE``, so the test knows the thread is
taken) and answers with the moment it let go; /stamp answers with the time of receipt the
arrival middleware gave it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tender.platform.request_time import RECEIVED_AT, ArrivalStamp

HOLD = 3.0  # long enough that a request sent meanwhile reaches the server even on a loaded machine


def _app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        Path(os.environ["ARRIVAL_BUSY_FILE"]).touch()
        time.sleep(HOLD)
        body = f"{time.time():.6f}"
    else:
        body = f"{environ[RECEIVED_AT]:.6f}"
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body.encode()]


app = ArrivalStamp(_app)
