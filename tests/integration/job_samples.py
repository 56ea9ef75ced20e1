"""Job functions for the job tests; the test's RQ worker imports this module through
``TENDER_JOB_MODULES``, as a deployment would name its own job modules."""

from __future__ import annotations

from pathlib import Path

from tender.jobs.queue import JobFile, job_function


@job_function("count_to_ten")
def count_to_ten(user, progress, *, label: str):
    """Ten steps of progress, then a small text file naming who asked."""
    for step in range(1, 11):
        progress(step * 10, f"step {step} of 10")
    return JobFile(f"{label}.txt", "text/plain", f"{label} for {user.email}".encode())


@job_function("fails_first_time")
def fails_first_time(user, progress, *, marker: str):
    """Fails while ``marker`` does not exist (creating it), succeeds once it does: a retry works."""
    path = Path(marker)
    if not path.exists():
        path.write_text("tried")
        raise ConnectionError("the ledger service did not answer")
    return JobFile("ok.txt", "text/plain", b"second time lucky")
