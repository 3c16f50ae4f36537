"""docker-compose.yml, .env.example and the Prometheus config match what the code reads.

The variables are derived from the pydantic-settings classes themselves (field names plus
``env_prefix``), so a new setting that is not documented, or a compose variable that no
settings class reads, fails here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.settings import SERVICE_PORTS
from tests.support.settings_env import project_variables, service_settings, settings_classes

REPO = Path(__file__).resolve().parents[2]
INFRA = {"kafka", "postgres", "redis", "influxdb", "prometheus", "grafana", "init"}
PROBE = ["CMD", "python", "-m", "shared.service.probe"]


def compose_name(package: str) -> str:
    """Compose service names use hyphens (valid host names); packages use underscores."""
    return package.replace("_", "-")


@cache
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return loaded


def service(name: str) -> dict[str, Any]:
    found: dict[str, Any] = compose()["services"][name]
    return found


def environment(name: str) -> dict[str, str]:
    env = service(name).get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_settings_classes_are_found() -> None:
    names = {c.__name__ for c in settings_classes()}
    assert {"CommonSettings", "ApiGatewaySettings", "StrategyWorkersSettings"} <= names
    assert "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS" in project_variables()


def test_compose_names_the_six_services_and_the_infrastructure() -> None:
    expected = INFRA | {compose_name(package) for package in SERVICE_PORTS}
    assert set(compose()["services"]) == expected


@pytest.mark.parametrize("package", list(SERVICE_PORTS))
def test_each_service_runs_its_package_on_the_port_the_code_reads(package: str) -> None:
    spec = service(compose_name(package))
    port = SERVICE_PORTS[package]
    assert spec["command"] == ["python", "-m", package]
    assert spec["build"]["dockerfile"] == "deploy/docker/Dockerfile"
    assert spec["ports"] == [f"{port}:{port}"]
    assert environment(compose_name(package))["TICKSTREAM_HTTP_HOST"] == "0.0.0.0"
    assert f"TICKSTREAM_{package.upper()}_PORT" in project_variables()
    assert spec["healthcheck"]["test"] == [*PROBE, package]


@pytest.mark.parametrize("package", list(SERVICE_PORTS))
def test_each_service_waits_for_what_it_needs(package: str) -> None:
    depends_on = service(compose_name(package))["depends_on"]
    needed = {str(d) for d in service_settings(package).dependencies}
    assert depends_on.pop("init") == {"condition": "service_completed_successfully"}
    assert depends_on == {name: {"condition": "service_healthy"} for name in needed}


@pytest.mark.parametrize("name", sorted(INFRA - {"init"}))
def test_infrastructure_has_a_health_check(name: str) -> None:
    assert service(name)["healthcheck"]["test"]


def test_init_migrates_and_creates_topics_with_the_tickstream_command() -> None:
    init = service("init")
    assert init["command"] == ["sh", "-c", "tickstream migrate && tickstream topics"]
    assert init["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert init["depends_on"]["kafka"] == {"condition": "service_healthy"}
    assert init["restart"] == "no"


@pytest.mark.parametrize("name", ["init", *(compose_name(p) for p in SERVICE_PORTS)])
def test_compose_sets_only_variables_the_settings_read(name: str) -> None:
    ours = {key for key in environment(name) if key.startswith("TICKSTREAM_")}
    assert ours, f"{name} sets no TICKSTREAM_ variable"
    assert ours <= project_variables(), sorted(ours - project_variables())


def test_compose_points_the_services_at_the_compose_servers() -> None:
    env = environment("order-processor")
    assert env["TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert "@postgres:5432/" in env["TICKSTREAM_POSTGRES_DSN"]
    assert env["TICKSTREAM_REDIS_URL"].startswith("redis://redis:6379/")
    assert env["TICKSTREAM_INFLUX_URL"] == "http://influxdb:8086"
    influx = environment("influxdb")
    assert influx["DOCKER_INFLUXDB_INIT_BUCKET"] == env["TICKSTREAM_INFLUX_DATABASE"]
    assert influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"] == env["TICKSTREAM_INFLUX_TOKEN"]


def test_gateway_finds_every_service_by_its_compose_name() -> None:
    urls = json.loads(environment("api-gateway")["TICKSTREAM_SERVICE_URLS"])
    assert urls == {p: f"http://{compose_name(p)}:{port}" for p, port in SERVICE_PORTS.items()}


def documented_variables() -> set[str]:
    text = (REPO / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_env_example_documents_exactly_the_variables_the_settings_read() -> None:
    documented = {name for name in documented_variables() if name.startswith("TICKSTREAM_")}
    assert sorted(documented - project_variables()) == [], "documented but never read"
    assert sorted(project_variables() - documented) == [], "read but not documented"


def test_env_example_explains_each_variable() -> None:
    lines = (REPO / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", line):
            above = lines[:index]
            assert any(
                prev.startswith("# ") and not re.match(r"^#\s*[A-Z][A-Z0-9_]*=", prev)
                for prev in above[-12:]
            ), f"no comment above {line}"


def test_compose_interpolations_are_documented() -> None:
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (REPO / "docker-compose.yml").read_text()))
    assert sorted(used - documented_variables()) == []


def test_prometheus_scrapes_each_service_at_its_port() -> None:
    config = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    [job] = [j for j in config["scrape_configs"] if j["job_name"] == "tickstream"]
    targets = {group["labels"]["service"]: group["targets"] for group in job["static_configs"]}
    assert targets == {p: [f"{compose_name(p)}:{port}"] for p, port in SERVICE_PORTS.items()}


def test_grafana_dashboard_queries_metrics_the_code_exposes() -> None:
    dashboard = json.loads(
        (REPO / "deploy/grafana/dashboards/tickstream-services.json").read_text()
    )
    exprs = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel["targets"])
    for metric in ("tickstream_dependency_up", "tickstream_http_requests_total", "up{"):
        assert metric in exprs
    datasource = yaml.safe_load(
        (REPO / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    uid = datasource["datasources"][0]["uid"]
    assert {panel["datasource"]["uid"] for panel in dashboard["panels"]} == {uid}


def test_prometheus_config_and_rules_are_valid() -> None:
    # promtool comes with the prometheus package that `make setup` installs.
    assert shutil.which("promtool"), "promtool is not installed (make setup)"
    rules = sorted(str(p) for p in (REPO / "deploy/prometheus/rules").glob("*.yml"))
    for command in (
        ["promtool", "check", "config", "--syntax-only", "deploy/prometheus/prometheus.yml"],
        ["promtool", "check", "rules", *rules],
    ):
        result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
