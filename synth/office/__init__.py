"""Family C: documents typed in an office suite, printed by LibreOffice and scanned."""
