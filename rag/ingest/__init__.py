"""Ingest: read the corpus folder (guides, notes, roadmap) and cut documents into verbatim chunks."""
