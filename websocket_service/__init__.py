"""Tickstream WebSocket service: authenticated live push of each user's own data."""
