"""Run an ASGI app in-process, lifespan included, and talk to it through httpx."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def serve_in_process(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan, yield a client bound to it, then shut it down.

    The lifespan configures logging for the whole process; the previous configuration is
    put back afterwards so later tests log as before.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
                yield client
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def wait_for_ready_status(
    client: httpx.AsyncClient, wanted: int, *, timeout_s: float = 10.0
) -> httpx.Response:
    """Poll ``/ready`` until it answers ``wanted``; fail with the last answer if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        response = await client.get("/ready")
        if response.status_code == wanted:
            return response
        if loop.time() > deadline:
            raise AssertionError(f"/ready stayed {response.status_code}: {response.text}")
        await asyncio.sleep(0.01)
