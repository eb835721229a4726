"""LLM: the optional answer backends (a registry), grounding of their text in the hits, the GGUF setup."""
