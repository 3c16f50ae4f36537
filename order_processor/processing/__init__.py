"""The order processor at work: commands and market data through the engine into the ledger."""
