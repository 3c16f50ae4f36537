"""The analytics service's domain: pure, synchronous logic (no I/O, no settings)."""
