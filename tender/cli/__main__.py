"""``python -m tender.cli``: the same as the ``tender`` command."""

from tender.cli import run

run()
