"""The public shapes of the ledger API, one module per resource (never the table rows)."""
