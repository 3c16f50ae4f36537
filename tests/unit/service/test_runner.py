"""A bad setting stops the service with a message naming the variable."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from api_gateway.settings import ApiGatewaySettings
from order_processor.settings import OrderProcessorSettings
from shared.service.runner import describe_settings_error, env_name, load_settings


def test_env_name_uses_the_settings_prefix() -> None:
    assert env_name(OrderProcessorSettings, "order_processor_port") == (
        "TICKSTREAM_ORDER_PROCESSOR_PORT"
    )


def test_error_names_the_bad_variable() -> None:
    with pytest.raises(ValidationError) as caught:
        OrderProcessorSettings(_env_file=None, order_processor_port="eighty")
    message = describe_settings_error(OrderProcessorSettings, caught.value)
    assert message.startswith("order_processor: invalid settings")
    assert "TICKSTREAM_ORDER_PROCESSOR_PORT: Input should be a valid integer" in message


def test_placeholder_secret_outside_development_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TICKSTREAM_ENVIRONMENT", "production")
    monkeypatch.setenv("TICKSTREAM_JWT_SECRET", "change-me")
    monkeypatch.chdir("/")
    with pytest.raises(SystemExit) as exited:
        load_settings(ApiGatewaySettings)
    assert exited.value.code == 2
    assert "TICKSTREAM_JWT_SECRET is a placeholder" in capsys.readouterr().err


def test_valid_environment_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKSTREAM_API_GATEWAY_PORT", "18000")
    monkeypatch.chdir("/")
    assert load_settings(ApiGatewaySettings).http_port == 18000


def test_unparsable_value_names_the_variable_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TICKSTREAM_SERVICE_URLS", "{not json")
    monkeypatch.chdir("/")
    with pytest.raises(SystemExit) as exited:
        load_settings(ApiGatewaySettings)
    assert exited.value.code == 2
    assert "TICKSTREAM_SERVICE_URLS: cannot be parsed" in capsys.readouterr().err
