"""Tickstream strategy workers: live strategies and backtest jobs."""
