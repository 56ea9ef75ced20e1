"""Use cases of the web application (Cosmic Python's service layer).

Views call these with plain values and the current user; the services check permission
and state, apply the rules (from ``scoring/`` where they are domain rules), write the
audit record and commit. They raise the errors below, which views map to a message or a
4xx; they never return a half-done change.
"""

from __future__ import annotations

from tender.platform.i18n import pick


class ServiceError(Exception):
    """Base of the errors a user can cause. ``message`` is already in the user's language."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """Missing — or existing but not the user's to see (the same answer on purpose)."""


class Forbidden(ServiceError):
    """The user's role may not do this."""


class WrongState(ServiceError):
    """The tender or bid is not in a state that allows this."""


class DeadlinePassed(WrongState):
    """The bid deadline has passed: nothing can be submitted any more."""


class Invalid(ServiceError):
    """Input with problems: ``problems`` are :class:`scoring.Problem` (path, zh, en)."""

    def __init__(self, problems, message: str = ""):
        super().__init__(message)
        self.problems = list(problems)


def require(tender, action: str, role: str | None = None, now=None, error: type[WrongState] = WrongState) -> None:
    """Raise ``error`` with the lifecycle's reason, in the user's language, unless ``action``
    is allowed on ``tender`` now (:mod:`scoring.lifecycle` decides; services never compare
    statuses themselves)."""
    refusal = tender.refusal(action, role, now)
    if refusal is not None:
        raise error(pick(refusal))
