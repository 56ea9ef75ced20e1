"""Flask CLI commands: ``flask --app tender seed-demo`` and ``flask --app tender audit-verify``."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Add the demo accounts and tenders (idempotent) and print the logins."""
        from tender.demo.seed import seed_demo

        for line in seed_demo():
            click.echo(line)

    @app.cli.command("audit-verify")
    def audit_verify_command():
        """Recompute the audit hash chain; exit 1 naming the first broken record."""
        from tender.platform.audit import verify

        result = verify()
        if result.ok:
            click.echo(f"audit chain ok: {result.count} records, head {result.head}")
        else:
            click.echo(f"audit chain broken at record {result.broken_seq}: {result.reason}", err=True)
            raise SystemExit(1)
