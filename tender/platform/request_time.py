"""When a request reached the application: its time of receipt, and where its time went.

A bid is judged against the deadline by the moment the vendor's request reached the
server, not by when a busy server got round to it (a lock, a queue of other uploads, the
parsing of a large workbook). :class:`ArrivalStamp` is the outermost WSGI middleware: the
first thing it does for every request is to read the clock and put the time in the WSGI
environment; :func:`received_at` gives it to the services.

Under gunicorn's :class:`tender.platform.gunicorn_workers.ThreadWorker` the time is the moment the
server process saw the request (before it waited for a free thread), which the worker
hands over in :data:`arrival`.

Behind a reverse proxy the request reached the proxy first, and may have waited there for
a free worker. When ``TENDER_REQUEST_START_HEADER`` names the header the proxy sets with
the time it received the request (nginx: ``proxy_set_header X-Request-Start "t=${msec}";``),
that time is used instead. It is off by default: only a proxy that always sets (never
passes on) the header may be trusted with it. Its value is ``t=<seconds since the epoch>``
(or a bare number; milliseconds and microseconds are recognised by their size); a value
later than the app's clock counts as the app's clock, and one older than
``TENDER_REQUEST_START_MAX_AGE`` seconds (300) is ignored, so a stale or forged header can
never move a request far back in time.

With ``TENDER_SERVER_TIMING=1`` (off by default; ``bench/deadline_rush.py`` turns it on)
each response carries a ``Server-Timing`` header: ``app`` (from arrival to the response)
and the phases the code measured with :func:`phase` (reading the form, parsing, sealing,
waiting for locks, committing…), so that a load test can see where a submission's time goes.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from contextlib import contextmanager

from flask import Flask, has_request_context, request

from tender.models import utcnow

RECEIVED_AT = "tender.received_at"  # WSGI environ key: seconds since the epoch (float)
TIMINGS = "tender.timings"  # WSGI environ key: [(phase, seconds)] when Server-Timing is on


def clock() -> float:
    """The server's clock, in seconds since the epoch: the app's ``utcnow``, so that a test
    shifting the app's time shifts this too (a test may also replace this function)."""
    return utcnow().timestamp()


# Set by tender.platform.gunicorn_workers.ThreadWorker, in the thread that runs the request: when the
# server process received it (seconds since the epoch), before it waited for a thread.
arrival = threading.local()


def parse_request_start(value: str) -> float | None:
    """Seconds since the epoch from a request-start header: ``t=1764493200.123`` (nginx
    ``$msec``), or a bare number in seconds, milliseconds or microseconds."""
    text = value.strip()
    if text.startswith("t="):
        text = text[2:]
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number <= 0:  # NaN or nonsense
        return None
    if number > 1e14:  # microseconds
        return number / 1e6
    if number > 1e11:  # milliseconds
        return number / 1e3
    return number


class ArrivalStamp:
    """WSGI middleware: stamp each request with the time it reached the application."""

    def __init__(self, wsgi_app, header: str | None = None, max_age: float = 300.0, server_timing: bool = False):
        self.wsgi_app = wsgi_app
        self.environ_header = "HTTP_" + header.strip().upper().replace("-", "_") if header else None
        self.max_age = max_age
        self.server_timing = server_timing

    def arrival(self, environ) -> float:
        now = clock()
        if self.environ_header:
            stamped = parse_request_start(environ.get(self.environ_header, ""))
            if stamped is not None and now - self.max_age <= stamped:
                return min(stamped, now)
        seen = getattr(arrival, "value", None)
        if seen is not None and now - self.max_age <= seen:
            return min(seen, now)
        return now

    def __call__(self, environ, start_response):
        environ[RECEIVED_AT] = self.arrival(environ)
        if not self.server_timing:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        timings = environ[TIMINGS] = []

        def timed_start_response(status, headers, exc_info=None):
            parts = [f"app;dur={(time.perf_counter() - started) * 1000:.1f}"]
            parts += [f"{name};dur={seconds * 1000:.1f}" for name, seconds in timings]
            return start_response(status, [*headers, ("Server-Timing", ", ".join(parts))], exc_info)

        return self.wsgi_app(environ, timed_start_response)


def init_app(app: Flask) -> None:
    """Wrap the app (outermost, so the clock is read before anything else runs)."""
    app.wsgi_app = ArrivalStamp(
        app.wsgi_app,
        header=app.config.get("REQUEST_START_HEADER") or None,
        max_age=float(app.config.get("REQUEST_START_MAX_AGE") or 300),
        server_timing=bool(app.config.get("SERVER_TIMING")),
    )


def received_at() -> dt.datetime:
    """The time of receipt of the current request (aware UTC); outside a request, now."""
    if has_request_context():
        stamp = request.environ.get(RECEIVED_AT)
        if stamp is not None:
            return dt.datetime.fromtimestamp(stamp, dt.UTC)
    return dt.datetime.fromtimestamp(clock(), dt.UTC)


@contextmanager
def phase(name: str):
    """Measure a phase of the current request for its Server-Timing header (when on)."""
    timings = request.environ.get(TIMINGS) if has_request_context() else None
    if timings is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        timings.append((name, time.perf_counter() - start))
