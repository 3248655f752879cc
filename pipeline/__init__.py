"""sohoa pipeline: domain model, configuration, intake, dossier processing and the CLI."""
