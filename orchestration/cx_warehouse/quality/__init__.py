"""The quality gate: Great Expectations suites for the published marts, and source health."""
