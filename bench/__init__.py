"""Benchmarks that print measured figures; they are not part of the test suite."""
