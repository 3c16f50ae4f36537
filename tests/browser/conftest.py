"""Headless Chromium (Debian's package; never a downloaded browser) on the running stack."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.e2e.conftest import gateway_url, require_gateway

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def base_url() -> str:
    url = gateway_url()
    require_gateway(url)
    return url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        message = "Chromium is not installed (make setup, or apt-get install chromium)"
        pytest.fail(message, pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page that refuses (and records) any request leaving the gateway's origin."""
    context = browser.new_context()
    page = context.new_page()
    origin = urlparse(base_url).netloc
    external: list[str] = []

    def only_the_gateway(route: Route) -> None:
        url = route.request.url
        if urlparse(url).netloc == origin or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", only_the_gateway)
    yield page
    context.close()
    assert external == [], f"the page reached outside the gateway: {external}"
