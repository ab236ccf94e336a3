"""Benchmarks of the PPID Portal at province scale. Not part of the test suite:
``make bench`` runs them against PostgreSQL and Redis and prints a table. See BENCHMARKS.md."""
