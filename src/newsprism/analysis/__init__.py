"""Per-story analyses: entities, quotes, statements, claims, coverage, framing, provenance, timeline."""
