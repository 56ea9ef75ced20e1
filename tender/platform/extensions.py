"""Flask extensions, created once here and bound to the app in :func:`tender.create_app`.

Keeping them module-level lets models, services and blueprints import them without
importing the app (microblog's pattern). Constraint names follow a naming convention so
Alembic migrations can refer to them on SQLite (batch mode) and PostgreSQL alike.
"""

from __future__ import annotations

from functools import cached_property

from babel import support
from flask_babel import Babel, Domain
from flask_babel import get_locale as _current_locale
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def render_item(type_, obj, autogen_context):
    """Write the UTC TypeDecorator as the plain DateTime it stores, so migrations need no app import."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime()"
    return False


migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_item)
login_manager = LoginManager()
csrf = CSRFProtect()


class CatalogueDomain(Domain):
    """Finds ``translations/zh_CN`` for Babel's ``zh_Hans_CN`` locale.

    Babel parses ``zh_CN`` into ``zh_Hans_CN`` (with the script), and gettext would then
    look only for folders ``zh_Hans_CN`` and ``zh``; the catalogues are kept under the
    usual ``language_TERRITORY`` name, so the lookup is done with that name.
    """

    def get_translations(self):
        locale = _current_locale()
        if locale is None:
            return support.NullTranslations()
        key = f"{locale.language}_{locale.territory}" if locale.territory else locale.language
        try:
            return self.cache[key, self.domain[0]]
        except KeyError:
            translations = support.Translations()
            for dirname in self.translation_directories:
                catalog = support.Translations.load(dirname, [key, locale.language], self.domain[0])
                translations.merge(catalog)
                if hasattr(catalog, "plural"):
                    translations.plural = catalog.plural
            self.cache[key, self.domain[0]] = translations
            return translations


class TenderBabel(Babel):
    @cached_property
    def domain_instance(self):
        return CatalogueDomain(domain=self.domain)


babel = TenderBabel()
