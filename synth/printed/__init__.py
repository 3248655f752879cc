"""Family B of the generator: documents laid out in HTML, printed by Chromium and scanned."""
