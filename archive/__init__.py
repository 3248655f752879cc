"""Archival output: PDF/A building and validation, the E-ARK packages, object storage, the search index,
the audit log and fixity."""
