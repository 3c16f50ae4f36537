"""The trading domain shared by the order processor and the backtester: pure and synchronous.

Orders and their transition table, pre-trade risk, the paper exchange's fill rules, and
positions with FIFO lots and P&L. Nothing here does I/O or reads the wall clock.
"""
