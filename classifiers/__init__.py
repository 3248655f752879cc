"""Page classification, dossier segmentation and metadata extraction from OCR text and layout."""
