"""What every test shares, and nothing more: the property tests' profile.

The pure domain tests (``tests/unit``, the ``scoring`` package) import neither Flask nor
SQLAlchemy nor the app, and compile no catalogue: the app's fixtures (an app on a
temporary instance folder and a test database, its clients, one signed-in helper per
role) live in ``tests/integration/conftest.py``, the browser's in ``tests/e2e/conftest.py``.
``tests/unit/test_suite_layout.py`` keeps it so.

``from tests.integration.conftest import make_user`` (and the other helpers of the app's conftest)
still works: the names are looked up in ``tests/integration/conftest.py`` when asked for.
"""

from __future__ import annotations

import os

from hypothesis import settings

# In CI the property and fuzz tests draw the same examples every run, so a landing never
# depends on luck; locally they explore new examples each run (PROPERTY_EXAMPLES=2000 and
# DOCUMENTS_FUZZ_EXAMPLES=400 hunt longer).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {'PostgreSQL via ' + url.split('@')[-1] if url else 'SQLite'}"


# Only these names are forwarded: pytest and its plugins look for hooks and settings on
# every conftest, and such a look must not import the app.
APP_HELPERS = frozenset(
    {
        "PASSWORD",
        "POSTGRES",
        "Auth",
        "app_config",
        "csrf_token_from",
        "empty_tables",
        "make_user",
        "prepare_schema",
        "run_database_url",
        "utc",
    }
)


def __getattr__(name: str):
    """The app's test helpers (make_user, app_config, PASSWORD …), imported on first use."""
    if name not in APP_HELPERS:
        raise AttributeError(f"module 'tests.conftest' has no attribute {name!r}")
    from tests.integration import conftest as app_conftest

    return getattr(app_conftest, name)
