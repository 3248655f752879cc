"""The officers' portal: a Django application over the same services as the command line."""
