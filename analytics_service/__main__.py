"""``python -m analytics_service`` starts the analytics service."""

from analytics_service.app import build_app
from analytics_service.settings import AnalyticsServiceSettings
from shared.service import run

if __name__ == "__main__":
    raise SystemExit(run(build_app, AnalyticsServiceSettings))
