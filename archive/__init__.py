"""Archival output: PDF/A building, object storage, the search index."""
