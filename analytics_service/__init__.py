"""Tickstream analytics service: statistics, reports, journal and execution imports."""
