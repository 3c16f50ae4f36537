"""``python -m websocket_service`` starts the WebSocket service."""

from shared.service import run
from websocket_service.app import build_app
from websocket_service.settings import WebsocketServiceSettings

if __name__ == "__main__":
    raise SystemExit(run(build_app, WebsocketServiceSettings))
