"""``python -m api_gateway`` starts the API gateway."""

from api_gateway.app import build_app
from api_gateway.settings import ApiGatewaySettings
from shared.service import run

if __name__ == "__main__":
    raise SystemExit(run(build_app, ApiGatewaySettings))
