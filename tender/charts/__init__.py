"""Charts of an evaluation result: drawn by :mod:`.render` (SVG for pages, PNG for the
.docx), served under /charts by :mod:`.views`."""
