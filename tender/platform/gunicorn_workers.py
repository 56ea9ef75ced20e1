"""A gunicorn worker that notes when each request reached the server process.

    gunicorn -w 4 --threads 16 -k tender.platform.gunicorn_workers.ThreadWorker 'tender:create_app()'

gunicorn's threaded worker (gthread) accepts connections in its main thread and hands each
request to a pool of threads; when every thread is busy, a request waits for one. The app
stamps a request's time of receipt when a thread starts it (:mod:`tender.platform.request_time`),
so a request that waited would be judged by when it was started, not when it arrived.
This worker notes the moment the main thread saw the request — the connection accepted,
or a kept-alive connection readable again — before it is queued for a thread, and hands
that moment to the app, which takes it as the time of receipt. It is set in the server
process, never read from anything the client sent.
"""

from __future__ import annotations

import time

from gunicorn.workers.gthread import ThreadWorker as GthreadWorker

from tender.platform import request_time


class ThreadWorker(GthreadWorker):
    def enqueue_req(self, conn):
        conn.tender_arrived = time.time()  # main thread: before the request waits for a thread
        super().enqueue_req(conn)

    def handle_request(self, req, conn):
        request_time.arrival.value = getattr(conn, "tender_arrived", None)
        try:
            return super().handle_request(req, conn)
        finally:
            request_time.arrival.value = None
