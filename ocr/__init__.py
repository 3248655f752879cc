"""Image cleanup for OCR and the OCR engine interface (Tesseract today)."""
