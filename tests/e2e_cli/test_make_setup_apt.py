"""``make setup`` installs chromium and the CJK fonts with apt: when another apt holds its
lock it waits instead of failing, and when apt really fails it prints apt's own error —
never "run as root" to root. ``make chromium`` runs here against a stand-in ``apt-get``
(first on PATH) that plays each situation and records how it was called."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAKE_APT = r"""#!{python}
import json, os, sys
state = os.environ["FAKE_APT_STATE"]
calls = json.load(open(state)) if os.path.exists(state) else []
args = sys.argv[1:]
verb = next(a for a in args if a in ("update", "install"))
waits = any(a.startswith("DPkg::Lock::Timeout=") for a in args)
calls.append({{"verb": verb, "args": args}})
json.dump(calls, open(state, "w"))
scenario = os.environ["FAKE_APT_SCENARIO"]
done = sum(1 for c in calls if c["verb"] == verb) - 1   # earlier calls of this verb

def fail(*lines):
    print("Reading package lists...")
    for line in lines:
        print(line, file=sys.stderr)
    sys.exit(100)

if verb == "install" and scenario in ("locked", "no_lists") and not waits:
    fail("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)",
         "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?")
if verb == "update" and scenario in ("locked", "no_lists") and done < 2:
    fail("E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)",
         "E: Unable to lock directory /var/lib/apt/lists/")
if verb == "install" and scenario == "no_lists" and not any(c["verb"] == "update" for c in calls):
    fail("E: Unable to locate package chromium")
if verb == "install" and scenario == "no_candidate":
    fail("E: Package 'chromium' has no installation candidate")
print("Setting up chromium ...")
"""


@pytest.fixture
def fake_apt(tmp_path):
    """A PATH whose apt-get is the stand-in, and ``id -u`` answers as told."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text(FAKE_APT.format(python=sys.executable))
    (bin_dir / "sudo").write_text("#!/bin/sh\nexit 1\n")  # no password-less sudo here
    for name in ("apt-get", "sudo"):
        (bin_dir / name).chmod(0o755)
    state = tmp_path / "calls.json"

    def make(scenario: str, uid: int = 0):
        (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
        (bin_dir / "id").chmod(0o755)
        state.unlink(missing_ok=True)
        env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "FAKE_APT_STATE": str(state),
            "FAKE_APT_SCENARIO": scenario,
            "APT_RETRY_SECONDS": "0",
        }
        done = subprocess.run(
            ["make", "-s", "chromium", "CHROMIUM=/nonexistent/chromium"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        calls = json.loads(state.read_text()) if state.exists() else []
        return done, calls

    return make


def test_a_root_user_waits_for_the_lock_of_another_apt_and_installs(fake_apt):
    done, calls = fake_apt("locked")
    assert done.returncode == 0
    assert "run as root" not in done.stderr and "could not install" not in done.stderr
    # One call: the install, told to wait up to 600 s for the dpkg lock.
    assert [c["verb"] for c in calls] == ["install"]
    assert "DPkg::Lock::Timeout=600" in calls[0]["args"] and calls[0]["args"][-1] == "chromium"


def test_package_lists_locked_by_another_apt_are_waited_for_then_refreshed(fake_apt):
    done, calls = fake_apt("no_lists")
    assert done.returncode == 0 and "could not install" not in done.stderr
    # install (unknown package) → update refused twice by the lists' lock → update → install
    assert [c["verb"] for c in calls] == ["install", "update", "update", "update", "install"]
    assert "waiting for another apt to finish" in done.stderr


def test_a_real_failure_prints_apts_own_error_not_run_as_root(fake_apt):
    done, calls = fake_apt("no_candidate")
    assert done.returncode == 0  # setup goes on: the browser tests are then skipped
    assert "could not install chromium: the browser tests in tests/e2e will be skipped. apt-get said:" in done.stderr
    assert "E: Package 'chromium' has no installation candidate" in done.stderr
    assert "run as root" not in done.stderr


def test_a_user_who_is_not_root_is_told_it_needs_root(fake_apt):
    done, calls = fake_apt("locked", uid=1000)
    assert done.returncode == 0 and calls == []
    assert "installing Debian packages needs root (run 'sudo apt-get install chromium')" in done.stderr
