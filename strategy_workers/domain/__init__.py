"""The strategy workers' pure logic: routing, warm-up order, books, status messages."""
