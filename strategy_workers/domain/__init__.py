"""The strategy workers's domain: pure, synchronous logic (no I/O, no settings)."""
