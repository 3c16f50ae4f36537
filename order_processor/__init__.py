"""Tickstream order processor: order lifecycle, pre-trade risk, paper exchange, ledger."""
