"""Dagster definitions of cx-warehouse, one module per layer."""
