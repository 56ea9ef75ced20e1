"""Buyer pages: write, publish, amend, extend and cancel tenders."""
