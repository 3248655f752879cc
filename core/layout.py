"""Decree 30 page geometry that both the OCR stage and the classifiers rely on, as shares of the page."""

NUMBER_ROW_SHARE = 0.3  # a row opening with a bare number is the number row only this high up
