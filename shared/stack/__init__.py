"""The local stack: Kafka, Postgres, Redis, InfluxDB, Prometheus and the six services as the
project's own processes, with data and logs under one folder (``.stack/`` by default).

``Stack(settings).up()`` starts what is missing and waits until everything answers;
``down()`` stops exactly what it started; ``start(name)``/``stop(name)`` control one
component; ``status()`` reports each one.
"""

from shared.stack.components import ALL_NAMES, INFRA_NAMES, Kind
from shared.stack.errors import PortConflict, PortConflictError, StackError, StartupError
from shared.stack.settings import SERVICES, StackSettings
from shared.stack.stack import Stack, UpReport
from shared.stack.status import ComponentStatus, State

__all__ = [
    "ALL_NAMES",
    "INFRA_NAMES",
    "SERVICES",
    "ComponentStatus",
    "Kind",
    "PortConflict",
    "PortConflictError",
    "Stack",
    "StackError",
    "StackSettings",
    "StartupError",
    "State",
    "UpReport",
]
