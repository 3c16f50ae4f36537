"""The market data engine's domain: pure, synchronous logic (no I/O, no settings)."""
