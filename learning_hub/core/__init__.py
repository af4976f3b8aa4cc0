"""The application's plumbing: database, errors, security headers, templating, forms,
pagination, mail, logs. It imports no domain package (an import-linter contract holds it)."""
