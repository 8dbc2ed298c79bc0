"""noxtui benchmarks: ``python -m bench`` prints one table of measured figures (see README.md)."""
