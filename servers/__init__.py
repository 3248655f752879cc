"""Start the real servers that the production backends talk to, for tests and local trials."""
