"""The API gateway's domain: pure, synchronous logic (no I/O, no settings)."""
