"""ttx load benchmarks: `python -m benchmarks <suite>`; see benchmarks/README.md."""
