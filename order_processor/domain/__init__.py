"""The order processor's domain: pure, synchronous logic (no I/O, no settings)."""
