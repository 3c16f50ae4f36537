"""Where the gateway looks for the other services."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api_gateway.settings import ApiGatewaySettings


def test_services_default_to_this_host_at_their_ports() -> None:
    settings = ApiGatewaySettings(_env_file=None, http_host="0.0.0.0", order_processor_port=9103)
    assert settings.service_url("order_processor") == "http://127.0.0.1:9103"


def test_explicit_service_url_wins() -> None:
    settings = ApiGatewaySettings(
        _env_file=None, service_urls={"analytics_service": "http://analytics-service:8004/"}
    )
    assert settings.service_url("analytics_service") == "http://analytics-service:8004"


def test_unknown_service_url_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown services"):
        ApiGatewaySettings(_env_file=None, service_urls={"billing": "http://billing"})


def test_service_urls_come_from_json_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKSTREAM_SERVICE_URLS", '{"websocket_service": "http://ws:8001"}')
    assert ApiGatewaySettings(_env_file=None).service_url("websocket_service") == "http://ws:8001"
