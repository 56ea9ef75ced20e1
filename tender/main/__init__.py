"""Home page and the language switch."""
