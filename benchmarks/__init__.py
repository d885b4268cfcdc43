"""The alertsync benchmark harness: ``python -m benchmarks`` (see BENCHMARKS.md)."""
