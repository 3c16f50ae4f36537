"""The environment variables the project reads, found from its pydantic-settings classes.

Derived from the classes themselves (field names plus ``env_prefix``, or a field's alias),
so documentation and deployment files can be checked against what the code really reads.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from functools import cache

from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from shared.settings import SERVICE_PORTS, ServiceSettings

PACKAGES = ("shared", *SERVICE_PORTS)


def _import_project() -> None:
    for package in PACKAGES:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if not info.name.endswith(".__main__"):
                importlib.import_module(info.name)


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@cache
def settings_classes() -> tuple[type[BaseSettings], ...]:
    """Every pydantic-settings class defined in the project's packages."""
    _import_project()
    found = {c for c in _subclasses(BaseSettings) if c.__module__.split(".")[0] in PACKAGES}
    return tuple(sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}"))


def env_names(cls: type[BaseSettings]) -> set[str]:
    """The environment variables one settings class reads."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names = set()
    for field_name, info in cls.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names.update(str(choice).upper() for choice in alias.choices)
        else:
            names.add(f"{prefix}{field_name}".upper())
    return names


@cache
def project_variables() -> frozenset[str]:
    return frozenset(name for cls in settings_classes() for name in env_names(cls))


def service_settings(package: str) -> type[ServiceSettings]:
    matches = [
        c
        for c in settings_classes()
        if issubclass(c, ServiceSettings) and getattr(c, "service_name", None) == package
    ]
    assert len(matches) == 1, f"{package}: expected one settings class, found {matches}"
    return matches[0]
