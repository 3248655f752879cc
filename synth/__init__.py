"""Synthetic scanned dossiers in the Decree 30 layout, with ground truth, for tests and demos."""
