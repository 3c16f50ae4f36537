"""Tickstream market data engine: feeds, tick-to-candle aggregation, candle storage and queries."""
