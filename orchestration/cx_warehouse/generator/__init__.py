"""Deterministic, vectorised generator of realistic landing-zone extracts for all four sources."""
