"""Benchmarks for mentor: index and query speed, memory, scale, and a plain-LangChain baseline.

Run `python -m bench.run` (or `make bench`); see bench/README.md. Not part of the
installed package and not collected by pytest.
"""
