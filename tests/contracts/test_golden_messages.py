"""Golden JSON per message (type, version): committed bytes must still decode and round-trip.

After a deliberate schema change, regenerate with
``uv run python -m shared.messages.samples tests/contracts/golden`` and review the diff.
An old version's golden stays as long as consumers must decode that version.
"""

from pathlib import Path

import pytest

from shared.messages import all_schemas, decode, encode, headers_for
from shared.messages.export import schema_name
from shared.messages.samples import canonical_json, sample_envelopes

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("*.json"))
REGENERATE = "uv run python -m shared.messages.samples tests/contracts/golden"


def test_there_is_exactly_one_golden_file_per_registered_schema():
    registered = {schema_name(t, v) for t, v in all_schemas()}
    on_disk = {path.name.removesuffix(".json") for path in GOLDEN_FILES}
    assert on_disk == registered, f"missing: {registered - on_disk}, stale: {on_disk - registered}"


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_golden_decodes_and_reencodes_to_the_same_json(path):
    golden = path.read_bytes()
    envelope = decode(golden)
    assert schema_name(envelope.type, envelope.version) == path.stem
    assert type(envelope.payload) is all_schemas()[(envelope.type, envelope.version)]
    assert canonical_json(encode(envelope)) == golden.decode()


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_golden_decodes_when_routed_by_headers(path):
    envelope = decode(path.read_bytes())
    again = decode(encode(envelope), headers_for(envelope))
    assert again == envelope


def test_goldens_match_the_current_samples():
    current = {name: canonical_json(encode(env)) for name, env in sample_envelopes().items()}
    committed = {path.stem: path.read_text() for path in GOLDEN_FILES}
    stale = sorted(name for name in current if committed.get(name) != current[name])
    assert not stale, f"samples changed for {stale}; regenerate with: {REGENERATE}"
