"""Route modules: ``pages`` (HTML), ``api`` (JSON twins), ``ingest`` (forms, uploads, progress)."""
