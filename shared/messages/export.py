"""Publish the message schemas: one JSON Schema per (type, version) and an AsyncAPI document."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from shared.messages.codec import HEADER_MESSAGE_ID, HEADER_TYPE, HEADER_VERSION
from shared.messages.envelope import Envelope, Payload
from shared.messages.registry import all_schemas
from shared.messages.topics import TOPICS, Topic, topic_of

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID_PREFIX = "urn:tickstream:message:"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
KAFKA_BINDING_VERSION = "0.5.0"
_BOUNDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


class WireSchema(GenerateJsonSchema):
    """JSON Schema of the bytes on the wire: decimals are strings, their bounds kept as x-*."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        result: JsonSchemaValue = {"type": "string", "format": "decimal"}
        result["pattern"] = DECIMAL_PATTERN
        for key, keyword in _BOUNDS.items():
            bound = schema.get(key)
            if bound is not None:
                result["x-" + keyword] = str(bound)
        return result


def schema_name(type_: str, version: int) -> str:
    """The name of a (type, version) in exports and golden files: ``Trade.v1``."""
    return f"{type_}.v{version}"


def _pin(envelope_schema: JsonSchemaValue, cls: type[Payload]) -> JsonSchemaValue:
    """Name the schema and pin the envelope's type and version to the payload's."""
    properties = dict(envelope_schema["properties"])
    properties["type"] = {"const": cls.TYPE, "type": "string"}
    properties["version"] = {"const": cls.VERSION, "type": "integer"}
    return {
        "title": schema_name(cls.TYPE, cls.VERSION),
        "description": inspect.cleandoc(cls.__doc__ or ""),
        **{k: v for k, v in envelope_schema.items() if k not in ("title", "description")},
        "properties": properties,
    }


def json_schemas() -> dict[str, dict[str, Any]]:
    """One self-contained JSON Schema of the full envelope per ``<Type>.v<version>``."""
    result: dict[str, dict[str, Any]] = {}
    for (type_, version), cls in all_schemas().items():
        name = schema_name(type_, version)
        body = Envelope[cls].model_json_schema(schema_generator=WireSchema)  # type: ignore[valid-type]
        result[name] = {"$schema": JSON_SCHEMA_DIALECT, "$id": SCHEMA_ID_PREFIX + name}
        result[name].update(_pin(body, cls))
    return result


def _headers(cls: type[Payload]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [HEADER_TYPE, HEADER_VERSION, HEADER_MESSAGE_ID],
        "properties": {
            HEADER_TYPE: {"type": "string", "const": cls.TYPE},
            HEADER_VERSION: {"type": "string", "const": str(cls.VERSION)},
            HEADER_MESSAGE_ID: {"type": "string", "format": "uuid"},
        },
    }


def _message(cls: type[Payload]) -> dict[str, Any]:
    topic = topic_of(cls.TYPE)
    key = f"payload.{topic.key_field}"
    key += f", or '{topic.default_key}' when absent" if topic.default_key else ""
    name = schema_name(cls.TYPE, cls.VERSION)
    return {
        "name": cls.TYPE,
        "title": f"{cls.TYPE} v{cls.VERSION}",
        "summary": inspect.cleandoc(cls.__doc__ or "").split("\n")[0],
        "contentType": "application/json",
        "headers": _headers(cls),
        "payload": {"$ref": f"#/components/schemas/{name}"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": key},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _channel(topic: Topic, names: list[str]) -> dict[str, Any]:
    key = topic.key_field + (f", or '{topic.default_key}'" if topic.default_key else "")
    return {
        "address": topic.name,
        "description": f"Key: {key}. Partitions: {topic.partitions}. DLQ: {topic.dlq}.",
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names},
        "bindings": {
            "kafka": {
                "topic": topic.name,
                "partitions": topic.partitions,
                "replicas": topic.replication_factor,
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def asyncapi_document(api_version: str = "1.0.0") -> dict[str, Any]:
    """An AsyncAPI 3.0 document: a channel per topic, a message per (type, version)."""
    schemas = all_schemas()
    envelopes = [(Envelope[cls], "validation") for cls in schemas.values()]  # type: ignore[valid-type]
    # One shared set of definitions, referenced where AsyncAPI documents keep them.
    refs, defs = models_json_schema(
        envelopes,  # type: ignore[arg-type]
        ref_template="#/components/schemas/{model}",
        schema_generator=WireSchema,
    )
    components: dict[str, Any] = dict(defs.get("$defs", {}))
    for (type_, version), cls in schemas.items():
        envelope_ref = refs[(Envelope[cls], "validation")]["$ref"]  # type: ignore[valid-type]
        envelope = components.pop(envelope_ref.rsplit("/", 1)[1])
        components[schema_name(type_, version)] = _pin(envelope, cls)
    channels = {
        topic.name: _channel(
            topic, [schema_name(t, v) for t, v in schemas if t in topic.message_types]
        )
        for topic in TOPICS
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Tickstream messages",
            "version": api_version,
            "description": "Kafka topics of Tickstream. Every message is a JSON envelope; "
            "decimals are strings, times integer UTC nanoseconds.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {
            "schemas": dict(sorted(components.items())),
            "messages": {schema_name(t, v): _message(cls) for (t, v), cls in schemas.items()},
        },
    }


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export(directory: Path | str) -> list[Path]:
    """Write ``asyncapi.json`` and ``json-schema/<Type>.v<version>.json``; return the paths."""
    root = Path(directory)
    (root / "json-schema").mkdir(parents=True, exist_ok=True)
    written = [root / "asyncapi.json"]
    written[0].write_text(_dump(asyncapi_document()), encoding="utf-8")
    for name, schema in json_schemas().items():
        path = root / "json-schema" / f"{name}.json"
        path.write_text(_dump(schema), encoding="utf-8")
        written.append(path)
    return written
