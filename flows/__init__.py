"""Prefect flows, thin wrappers over the services: batch ingest, the nightly inbox run, the fixity sweep.
Each takes its settings and a progress sink as parameters (a scheduled run reads its environment)."""
