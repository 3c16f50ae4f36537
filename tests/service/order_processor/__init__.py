"""Service tests of the order processor: its handlers and HTTP API without real servers."""
