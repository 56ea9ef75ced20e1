"""File adapters beside ``scoring/``: the price-sheet workbook (template and reader), the
bid document (.docx) reader and the checks every upload passes before a parser sees it.

They turn files into the plain dicts and problems that ``scoring/`` reads, and never
compute what ``scoring/`` computes.
"""
