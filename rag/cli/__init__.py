"""The `mentor` command line over the `rag` library (presentation only)."""

from .main import main

__all__ = ["main"]
