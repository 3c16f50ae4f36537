"""The operator status page and the API docs, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from shared.settings import SERVICE_PORTS

pytestmark = pytest.mark.browser

SETTLE_TIMEOUT_MS = 60_000


def test_status_page_shows_every_service_ready(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_title(re.compile("Tickstream"))
    # The page refreshes itself; the stack may still be settling when the test starts.
    expect(page.locator("#summary")).to_have_attribute(
        "data-ready", "true", timeout=SETTLE_TIMEOUT_MS
    )
    expect(page.locator("#summary")).to_have_text("All 6 services ready")
    rows = page.locator("#services tr")
    expect(rows).to_have_count(len(SERVICE_PORTS))
    for service in SERVICE_PORTS:
        row = page.locator(f'#services tr[data-service="{service}"]')
        expect(row).to_have_attribute("data-ready", "true")
        expect(row.locator("td.mark")).to_have_text("✔ ready")


def test_api_docs_render_the_api_title(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    title = page.locator(".swagger-ui .info .title")
    expect(title).to_contain_text("Tickstream API", timeout=30_000)
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/api/v1/system/status")).to_be_visible()
