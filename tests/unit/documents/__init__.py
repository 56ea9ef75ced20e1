"""Tests of the file adapters (tender/documents): the price-sheet template and reader, the .docx reader, the upload checks."""
