"""The evaluator's pages under /evaluator (the panel's work): assigned tenders, the
conflict-of-interest declaration, qualification review, the bid document, agreed bands,
the blind score sheet, corrections and abnormal-low decisions."""

from tender.panel import evidence  # noqa: E402,F401  (qualification evidence joins the panel blueprint)
