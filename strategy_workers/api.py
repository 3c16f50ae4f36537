"""``GET /strategies``: what this worker runs now (for operators and the recovery tests)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter(tags=["strategies"])


@router.get("/strategies")
async def running(request: Request) -> dict[str, Any]:
    """The partitions of the bars topic held here and the strategies run on them."""
    runner = getattr(request.app.state, "runner", None)
    parts = runner.parts if runner is not None else None
    if parts is None:
        return {"held": [], "strategies": []}
    desk = parts.desk
    strategies = [
        {
            "strategy_id": str(slot.strategy_id),
            "version": slot.definition.version,
            "status": slot.status.value,
            "warmed": slot.warmed,
            "fed": {f"{s.symbol}/{s.timeframe}": t for s, t in sorted(slot.fed.items())},
        }
        for slot in desk.slots.values()
    ]
    return {"held": sorted(desk.held), "revision": desk.revision, "strategies": strategies}
