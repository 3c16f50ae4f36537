"""The published schemas: JSON Schema per (type, version) and the AsyncAPI document."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from shared.cli.schemas import app
from shared.messages import TOPICS, all_schemas, encode
from shared.messages.export import asyncapi_document, export, json_schemas, schema_name
from shared.messages.samples import sample_envelopes

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "messages"
NAMES = sorted(schema_name(t, v) for t, v in all_schemas())
SCHEMAS = json_schemas()
SAMPLES = sample_envelopes()


def test_there_is_one_json_schema_per_registered_schema():
    assert sorted(SCHEMAS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_sample_on_the_wire_is_valid_against_its_json_schema(name):
    schema = SCHEMAS[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(encode(SAMPLES[name])), schema, jsonschema.Draft202012Validator)


@pytest.mark.parametrize("name", NAMES)
def test_json_schema_pins_type_and_version(name):
    body = json.loads(encode(SAMPLES[name]))
    for field, wrong in (("type", "Other"), ("version", body["version"] + 1)):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**body, field: wrong}, SCHEMAS[name])


def test_decimals_are_strings_on_the_wire_with_their_bounds_recorded():
    trade = SCHEMAS["Trade.v1"]["$defs"]["Trade"]["properties"]
    assert trade["price"]["type"] == "string"
    assert trade["size"]["x-exclusiveMinimum"] == "0"
    body = json.loads(encode(SAMPLES["Trade.v1"]))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {**body, "payload": {**body["payload"], "price": 5120.25}}, SCHEMAS["Trade.v1"]
        )


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_asyncapi_has_a_channel_per_topic_with_key_and_partitions():
    document = asyncapi_document()
    assert document["asyncapi"] == "3.0.0"
    assert list(document["channels"]) == [topic.name for topic in TOPICS]
    for topic in TOPICS:
        channel = document["channels"][topic.name]
        assert channel["bindings"]["kafka"]["partitions"] == topic.partitions
        assert topic.key_field in channel["description"]
        types_on_channel = {name.split(".v")[0] for name in channel["messages"]}
        assert types_on_channel == set(topic.message_types)


def test_asyncapi_messages_carry_headers_and_every_ref_resolves():
    document = asyncapi_document()
    assert sorted(document["components"]["messages"]) == NAMES
    for name, message in document["components"]["messages"].items():
        assert message["headers"]["properties"]["type"]["const"] == name.split(".v")[0]
        assert set(message["headers"]["required"]) == {"type", "version", "message_id"}
    for ref in _refs(document):
        _resolve(document, ref)


@pytest.mark.parametrize("name", NAMES)
def test_asyncapi_payload_schema_accepts_the_sample(name):
    document = asyncapi_document()
    schema = {**document["components"]["schemas"][name], "components": document["components"]}
    jsonschema.validate(json.loads(encode(SAMPLES[name])), schema)


def test_export_writes_every_file(tmp_path):
    written = export(tmp_path)
    assert tmp_path / "asyncapi.json" in written
    assert sorted(p.stem for p in (tmp_path / "json-schema").glob("*.json")) == NAMES
    assert (
        json.loads((tmp_path / "json-schema" / "Trade.v1.json").read_text()) == SCHEMAS["Trade.v1"]
    )


def test_committed_export_is_current(tmp_path):
    export(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_text() for p in tmp_path.rglob("*.json")}
    committed = {p.relative_to(COMMITTED): p.read_text() for p in COMMITTED.rglob("*.json")}
    stale = sorted(
        str(p) for p in fresh.keys() | committed.keys() if fresh.get(p) != committed.get(p)
    )
    regenerate = "uv run python -m shared.cli.schemas export docs/messages"
    assert not stale, f"docs/messages is stale ({stale}); run: {regenerate}"


def test_cli_exports_lists_and_writes_samples(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "asyncapi.json").exists()
    result = runner.invoke(app, ["samples", str(tmp_path / "golden")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "golden").glob("*.json"))) == len(NAMES)
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "orders.events  key=account_id  partitions=12" in result.output
    assert "    OrderFilled v1" in result.output
