"""Ingestion of landing-zone extracts into the `raw` schema of the build database."""
