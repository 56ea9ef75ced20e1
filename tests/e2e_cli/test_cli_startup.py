"""The offline commands start without the web stack.

``tender evaluate`` and ``tender template`` need only ``scoring/`` and the file readers;
Flask, SQLAlchemy and the app's models are imported by the data commands (audit, backup,
restore) when they run, never by ``import tender.cli`` nor by building the command line.
Each check runs in a fresh interpreter, because this test process has Flask loaded already.
(How long the start takes is measured in bench/evaluate_bench.py --command, not here.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
WEB = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "tender.models", "tender.platform.extensions")


def modules_after(code: str) -> dict:
    """Run ``code`` in a new interpreter; which web modules it left in ``sys.modules``."""
    probe = code + f"\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {WEB!r}}}))\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_command_line_imports_no_web_library():
    assert modules_after("import tender.cli") == dict.fromkeys(WEB, False)


def test_evaluate_and_help_run_without_the_web_stack(tmp_path):
    out = tmp_path / "result.json"
    bids = sorted(str(p) for p in (SAMPLES / "bids").glob("*.json"))
    code = (
        "import contextlib, io, tender.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert tender.cli.main(['evaluate', {str(SAMPLES / 'tender.json')!r}, *{bids!r}, "
        f"'--panel', {str(SAMPLES / 'panel.json')!r}, '--json', {str(out)!r}]) == 0\n"
        "    try:\n"
        "        tender.cli.main(['--help'])\n"
        "    except SystemExit as stop:\n"
        "        assert stop.code == 0\n"
    )
    assert modules_after(code) == dict.fromkeys(WEB, False)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        (SAMPLES / "result.json").read_text(encoding="utf-8")
    )


def test_the_app_factory_is_still_found_by_flask_and_by_import(tmp_path, monkeypatch):
    """``flask --app tender`` and ``from tender import create_app`` (gunicorn's
    ``tender:create_app()``) still find the factory."""
    monkeypatch.setenv("TENDER_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "tender", "seed-demo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Add the demo accounts and tenders" in done.stdout
    from tender import create_app

    assert create_app.__module__ == "tender" and callable(create_app)


def test_the_backup_methods_named_by_the_command_line_are_the_backup_services():
    from tender.cli.operations import BACKUP_METHODS
    from tender.services.backup import METHODS

    assert BACKUP_METHODS == METHODS
