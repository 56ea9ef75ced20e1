"""The domain tests stay cheap: collecting tests/unit (its conftests and every test module,
as pytest does) imports neither the web stack nor the app, and compiles no catalogue."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib, json, pathlib, sys
for path in sorted(pathlib.Path("tests/unit").rglob("*.py")):
    importlib.import_module(".".join(path.with_suffix("").parts))
importlib.import_module("tests.conftest")
web = ("flask", "flask_babel", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "werkzeug")
app = ("tender.models", "tender.platform.extensions", "tender.platform.catalogues")
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in web or name in app)))
"""


def test_collecting_the_domain_tests_imports_no_web_library_nor_the_app():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_names_pytest_looks_for_on_the_root_conftest_are_not_forwarded_to_the_app():
    from tests import conftest

    assert not hasattr(conftest, "pytest_plugins")
    assert not hasattr(conftest, "pytest_collection_modifyitems")
    assert not hasattr(conftest, "app")
