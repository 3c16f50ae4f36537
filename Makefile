# Tickstream: `make up` runs the whole platform locally, `make test` runs every test tier.
# Both install what is missing first (scripts/bootstrap.sh). `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.local/bin:$(PATH)
export UV_PYTHON_DOWNLOADS := never
# Run from the lock file as `make setup` installed it; never re-resolve behind the scenes.
export UV_FROZEN := 1

TEST_TIERS := tests/unit tests/service tests/contracts tests/integration tests/e2e tests/browser
PACKAGES := shared api_gateway websocket_service market_data_engine strategy_workers \
	order_processor analytics_service

.PHONY: help setup up down status test lint bench logs

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{ printf "  make %-8s %s\n", $$1, $$2 }'

setup: ## install what is missing: uv, the virtualenv, system packages (Postgres, Redis, ...)
	@scripts/bootstrap.sh

up: setup ## start the whole stack (infrastructure and six services) and print its URLs
	uv run tickstream up

down: ## stop everything `make up` started
	uv run tickstream down

status: ## show each component and service (exit 1 unless all are ready)
	uv run tickstream status

# The e2e and browser tiers talk to the running services, so the whole stack comes up.
test: setup ## bring up the stack (idempotent), then run every test tier
	uv run tickstream up
	uv run pytest $(wildcard $(TEST_TIERS))

lint: ## ruff (lint, format check) and mypy --strict
	uv run ruff check .
	uv run ruff format --check .
	uv run mypy $(PACKAGES)

bench: ## run every benchmark under bench/ and print its figures
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks in bench/"; fi; \
	for f in "$${files[@]}"; do echo "==> $$f"; uv run python "$$f" || exit 1; done

logs: ## follow the logs of every component (tickstream logs NAME -f for one)
	uv run tickstream logs -f
