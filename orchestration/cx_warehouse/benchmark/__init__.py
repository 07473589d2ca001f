"""The benchmark harness (`cx-warehouse benchmark`): generation, the nightly build by stage, the
same SQL run by DuckDB alone, an incremental night checked against a full refresh, peak memory;
results appended to docs/benchmarks.md."""
