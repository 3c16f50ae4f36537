"""``python -m order_processor`` starts the order processor."""

from order_processor.app import build_app
from order_processor.settings import OrderProcessorSettings
from shared.service import run

if __name__ == "__main__":
    raise SystemExit(run(build_app, OrderProcessorSettings))
