"""Benchmarks: `make bench` (or `python -m bench [name ...]`) runs each `bench/bench_*.py` and prints figures.

A benchmark module defines `run(report)` and calls `report(label, value, unit)` for each figure, and
may define `TARGET` text that the runner prints beside it. Benchmarks run against a fresh database:
a new SQLite file under var/, or DATABASE_URL when it is set.
"""
