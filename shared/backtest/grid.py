"""Parameter grids of a sweep: axes written ``NAME=START:STOP:STEP`` or ``NAME=A,B,C``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

Grid = dict[str, list[str]]
"""Parameter name -> the values (as text, checked by the strategy) it takes."""


def parse_axis(spec: str) -> tuple[str, list[str]]:
    """``fast=5:20:5`` (start:stop:step, stop included) or ``slow=20,40,60`` -> values."""
    name, sep, values = spec.partition("=")
    name, values = name.strip(), values.strip()
    if not sep or not name or not values:
        raise ValueError(f"sweep {spec!r}: expected NAME=START:STOP:STEP or NAME=A,B,C")
    if ":" not in values:
        return name, [v.strip() for v in values.split(",") if v.strip()]
    try:
        start, stop, step = (Decimal(p) for p in values.split(":"))
    except (ValueError, InvalidOperation):
        raise ValueError(f"sweep {spec!r}: START:STOP:STEP must be three numbers") from None
    if step <= 0 or stop < start:
        raise ValueError(f"sweep {spec!r}: needs STEP > 0 and STOP >= START")
    count = int((stop - start) / step) + 1
    return name, [str(start + i * step) for i in range(count)]


def parse_grid(specs: Sequence[str]) -> Grid:
    """Every axis of the sweep, by parameter name (a repeated name is refused)."""
    grid: Grid = {}
    for spec in specs:
        name, values = parse_axis(spec)
        if name in grid:
            raise ValueError(f"sweep: {name!r} is given twice")
        grid[name] = values
    return grid


def combinations(grid: Grid) -> list[dict[str, str]]:
    """The cartesian product of the grid, first axis slowest."""
    names = list(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]
