"""The `sohoa` command line: the top of the house. Each command parses its options, calls a service or
a flow, renders the result, and leaves the exit status to the one error handler in sohoa.cli.main."""
