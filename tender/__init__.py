"""The tender web application: ``create_app`` binds configuration, extensions and blueprints.

``flask --app tender run`` serves it; ``flask --app tender db upgrade`` migrates the
database; ``flask --app tender seed-demo`` adds the demo accounts and tenders.

Importing the package imports no web library: Flask, SQLAlchemy and the app's modules
are imported when ``create_app`` runs, so ``tender evaluate`` starts fast.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    # The web stack is imported here, not at the top: ``tender.cli`` imports this package
    # first, and its offline commands (evaluate, template) must not pay for Flask and
    # SQLAlchemy.
    from flask import Flask

    from tender.platform.config import Config, database_url, engine_options, normalize_database_url, secret_key

    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("TENDER_INSTANCE_PATH") or None
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(Config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or database_url(app.instance_path, app.config.get("DATABASE_URL"))
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(url, app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)

    _init_extensions(app)
    _init_security(app)
    _init_request_time(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from tender import models
    from tender.jobs import queue  # noqa: F401  (its Job model must be known before migrations run)
    from tender.platform.extensions import babel, csrf, db, login_manager, migrate
    from tender.platform.i18n import select_locale
    from tender.platform.storage import load_key

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=str(Path(__file__).parent / "translations")
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    app.extensions["tender_data_key"] = load_key(app.instance_path, app.config.get("TENDER_DATA_KEY"))
    app.extensions["tender_audit_key"] = load_key(
        app.instance_path, app.config.get("TENDER_AUDIT_KEY"), "audit.key", "TENDER_AUDIT_KEY"
    )

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to see this page.")

    @login_manager.user_loader
    def load_user(token: str):
        from sqlalchemy import select

        return db.session.scalars(select(models.User).where(models.User.session_token == token)).first()


def _init_security(app: Flask) -> None:
    from tender.platform import security

    security.init_app(app)


def _init_request_time(app: Flask) -> None:
    from tender.platform import request_time  # outermost middleware: stamps each request's time of receipt

    request_time.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from tender.admin.routes import bp as admin_bp
    from tender.auth.routes import bp as auth_bp
    from tender.bids import bp as bids_bp
    from tender.charts.views import bp as charts_bp
    from tender.contracts import bp as contracts_bp
    from tender.errors.handlers import bp as errors_bp
    from tender.jobs.views import bp as jobs_bp
    from tender.main.routes import bp as main_bp
    from tender.panel.routes import bp as panel_bp
    from tender.results.routes import bp as results_bp
    from tender.tenders import bp as tenders_bp

    app.register_blueprint(errors_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(tenders_bp, url_prefix="/buyer/tenders")
    app.register_blueprint(bids_bp, url_prefix="/vendor")
    app.register_blueprint(panel_bp, url_prefix="/evaluator")
    app.register_blueprint(results_bp, url_prefix="/results")
    app.register_blueprint(contracts_bp, url_prefix="/contracts")  # after the award (§14)
    app.register_blueprint(charts_bp, url_prefix="/charts")  # the results page's charts, as SVG
    app.register_blueprint(jobs_bp, url_prefix="/jobs")  # background jobs: status, progress, result file
    from tender import notifications  # notifications (bell, page, e-mail) and the public tender notices

    notifications.init_app(app)


def _register_template_helpers(app: Flask) -> None:
    from scoring import lifecycle
    from tender.platform import timefmt
    from tender.platform.i18n import LANGUAGE_NAMES, is_english, pick

    app.jinja_env.filters["time"] = timefmt.show_time
    app.jinja_env.filters["money"] = timefmt.show_money
    app.jinja_env.filters["number"] = timefmt.show_number
    app.jinja_env.filters["datetime_local"] = timefmt.local_input_value
    app.jinja_env.filters["names"] = lambda items: (", " if is_english() else "、").join(str(i) for i in items)
    from tender.platform.formfields import error_links

    app.jinja_env.globals["error_links"] = error_links  # the error summary of every form links each error
    app.jinja_env.globals["lifecycle"] = lifecycle  # templates ask the lifecycle, never compare statuses

    @app.context_processor
    def inject_helpers():
        from tender.platform.labels import (
            action_label,
            fact_label,
            pricing_label,
            role_label,
            shown_value,
            status_label,
        )

        return {
            "pick": pick,
            "is_english": is_english,
            "language_names": LANGUAGE_NAMES,
            "status_label": status_label,
            "role_label": role_label,
            "action_label": action_label,
            "fact_label": fact_label,
            "pricing_label": pricing_label,
            "shown_value": shown_value,
        }


def _register_commands(app: Flask) -> None:
    from tender.cli.flask_commands import register

    register(app)
