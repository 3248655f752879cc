"""Prefect flows: batch ingest, the nightly inbox run."""
