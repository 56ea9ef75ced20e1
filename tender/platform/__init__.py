"""What every part of the web app stands on: configuration, the Flask extensions, the
encrypted store, the audit chain, security headers and sessions, languages and labels,
times and amounts as users read them, shared form fields and view helpers."""
