"""Services: what the command line, the flows and the web portal call. Intake, recognition and the
ingest of a dossier; verify and repair, exports, disposal, the audit report, search and status. Each
takes settings and opened backends; none reads the environment or prints."""
