"""`python -m rag.cli`: the same `mentor` command."""

from .main import main

main()
