"""Benchmarks: scripts that measure speed and memory and print figures (never timed tests)."""
