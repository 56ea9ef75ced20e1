"""Notifications: what a user is told in the app — the bell with its unread count and the
page of notifications — and by e-mail when an SMTP server is configured (:mod:`.mail`).

:func:`notify` is the one way to tell people something. It adds the notifications to the
current transaction, so they are stored with the action that caused them or not at all,
and queues their e-mails as background jobs that start only once that action is committed;
a mail server that is down never loses a notification nor undoes the action.

- :mod:`.kinds`: what each kind of notification says, in Chinese and English.
- :mod:`.events`: who is told what when a tender changes (amendment, opening …), called by
  the services in the transaction of the change.
- :mod:`.mail`: the e-mails, their job and the SMTP settings.
- :mod:`.routes`: the bell's count and the page of notifications.
"""

from __future__ import annotations

# The package's interface, imported from .service on first use: .kinds is pure (words and
# times), and importing it alone must not import the app's models and Flask.
INTERFACE = ("mark_all_read", "notify", "open_notification", "page_of", "path_for", "rendered", "unread_count")


def __getattr__(name: str):
    if name not in INTERFACE:
        raise AttributeError(f"module 'tender.notifications' has no attribute {name!r}")
    from tender.notifications import service

    return getattr(service, name)


def init_app(app) -> None:
    """The page of notifications, the public tender notices, the bell and the e-mail hooks."""
    from tender.notices.routes import bp as notices_bp
    from tender.notifications import mail
    from tender.notifications.routes import bp as notifications_bp
    from tender.notifications.routes import inject_bell

    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(notices_bp, url_prefix="/notices")
    app.context_processor(inject_bell)
    mail.init_app(app)
