"""``tickstream strategy`` against a database of the test's own and the real Kafka."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from shared.db.strategies import StrategyStatus
from tests.infra import Endpoints
from tests.integration.strategy_store.cli_support import Cli, applier, control_topic
from tests.integration.strategy_store.conftest import Place
from tests.support.order_rig import AccountRef

pytestmark = pytest.mark.integration

MA = ("--code", "builtin:ma_crossover", "--symbol", "ESZ6", "--timeframe", "1m")


@pytest.fixture
async def cli(place: Place, infra: Endpoints, unique: Callable[[str], str]) -> AsyncIterator[Cli]:
    async with control_topic(infra.kafka_bootstrap, unique("it.ss.control")) as topic:
        yield Cli({
            "TICKSTREAM_POSTGRES_DSN": place.dsn,
            "TICKSTREAM_KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap,
            "TICKSTREAM_STRATEGY_CONTROL_TOPIC": topic,
        })  # fmt: skip


def owner_args(account: AccountRef) -> tuple[str, ...]:
    return ("--user", str(account.user_id), "--account", str(account.account_id))


async def test_create_update_show_versions_and_list(place: Place, cli: Cli) -> None:
    account = await place.account()
    sizing = ("--param", "fast=5", "--param", "slow=20", "--quantity", "2")
    sid = await cli.create(*owner_args(account), "--name", "ma", *MA, *sizing)

    changed = await cli("update", str(sid), "--param", "fast=7")
    same = await cli("update", str(sid), "--param", "fast=7", "--user", str(account.user_id))
    framed = await cli("update", str(sid), "--timeframe", "5m")
    shown = await cli("show", str(sid), "--json")
    versions = await cli("versions", str(sid))
    listed = await cli("list", "--user", str(account.user_id))

    stored = await place.store.versions(sid)
    assert [v.version for v in stored] == [1, 2, 3]
    assert changed.stdout.strip() == f"version 2 hash {stored[1].content_hash}"
    assert same.stdout.strip() == f"unchanged: version 2 hash {stored[1].content_hash}"
    assert framed.stdout.strip() == f"version 3 hash {stored[2].content_hash}"
    assert stored[2].content["subscriptions"] == [["ESZ6", "5m"]]
    assert stored[2].content["parameters"]["fast"] == 7
    assert stored[2].content["parameters"]["slow"] == 20
    assert stored[0].content["sizing"] == {"mode": "fixed", "quantity": "2", "fraction": "0.1"}
    fields = json.loads(shown.stdout)
    assert (fields["status"], fields["version"], fields["hash"]) == (
        "STOPPED", "3 (latest 3)", stored[2].content_hash,
    )  # fmt: skip
    assert "fast=7 slow=20" in fields["parameters"]
    lines = versions.stdout.splitlines()
    assert lines[0].split()[:3] == ["VERSION", "HASH", "CREATED"]
    assert [line.split()[:2] for line in lines[1:]] == [
        [str(v.version), v.content_hash[:12]] for v in stored
    ]
    [row] = listed.stdout.splitlines()[1:]
    assert row.split()[:4] == [str(sid), "ma", "STOPPED", "3/3"]


async def test_types_lists_the_builtins_and_their_parameters(cli: Cli) -> None:
    result = await cli("types", "--json")

    assert result.exit_code == 0, result.output
    described = json.loads(result.stdout)
    names = [p["name"] for p in described["builtin:ma_crossover"]]
    assert names[:2] == ["fast", "slow"]
    table = (await cli("types")).stdout
    assert any(line.split()[:3] == ["builtin:ma_crossover", "fast", "int"]
               for line in table.splitlines())  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--param", "fast"), "--param 'fast' is not name=value"),
        (("--param", "fast=30", "--param", "slow=20"), "'fast'"),
        (("--param", "slow=lots"), "parameter 'slow': 'lots' is not an integer"),
        (("--param", "fast=3", "--param", "fast=4"), "--param fast is given twice"),
        (("--quantity", "1", "--equity-fraction", "0.1"), "not both"),
        (("--quantity", "1.5"), "sizing quantity 1.5 is not a whole number"),
        (("--capital", "lots"), "--capital 'lots' is not a number"),
        (("--rules", "/no/such/rules.json"), "cannot read the rules file /no/such/rules.json"),
    ],
)
async def test_a_bad_create_says_what_is_wrong_in_one_line(
    place: Place, cli: Cli, args: tuple[str, ...], message: str
) -> None:
    account = await place.account()

    result = await cli("create", *owner_args(account), "--name", "bad", *MA, *args)

    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert await place.store.strategies() == []


async def test_unknown_codes_markets_owners_and_ids_are_refused(
    place: Place, cli: Cli, tmp_path: Path
) -> None:
    mine, theirs = await place.account(), await place.account()
    sid = await cli.create(*owner_args(mine), "--name", "ma", *MA)
    bad_rules = tmp_path / "rules.json"
    bad_rules.write_text("[1, 2")
    cases = [
        (("create", *owner_args(mine), "--name", "x", "--code", "builtin:nope", "--symbol",
          "ESZ6", "--timeframe", "1m"), "unknown strategy code 'builtin:nope'"),
        (("create", *owner_args(mine), "--name", "x", "--code", "builtin:ma_crossover",
          "--symbol", "ESZ6"), "give at least one --symbol and one --timeframe"),
        (("create", *owner_args(mine), "--name", "x", "--symbol", "ESZ6", "--timeframe", "1m"),
         "give --code"),
        (("create", *owner_args(mine), "--name", "x", *MA[:2], "--symbol", "ZZZ9",
          "--timeframe", "1m"), "unknown symbol 'ZZZ9'"),
        (("create", "--user", str(theirs.user_id), "--account", str(mine.account_id),
          "--name", "x", *MA), f"account {mine.account_id} not found for user"),
        (("create", "--user", "nobody", "--account", str(mine.account_id), "--name", "x", *MA),
         "--user 'nobody' is not a UUID"),
        (("create", *owner_args(mine), "--name", "x", "--rules", str(bad_rules), "--symbol",
          "ESZ6", "--timeframe", "1m"), f"the rules file {bad_rules} is not JSON"),
        (("show", str(sid), "--user", str(theirs.user_id)), f"strategy {sid} not found"),
        (("update", str(sid), "--user", str(theirs.user_id), "--param", "fast=3"),
         f"strategy {sid} not found"),
        (("versions", str(uuid.uuid4())), "not found"),
        (("start", str(sid), "--version", "9"), "has no version 9 (latest: 1)"),
        (("pause", str(sid)), "is STOPPED: only a running one pauses"),
        (("show", "not-an-id"), "strategy id 'not-an-id' is not a UUID"),
    ]  # fmt: skip

    for args, message in cases:
        result = await cli(*args)
        assert (result.exit_code, len(result.stderr.strip().splitlines())) == (2, 1), (
            args, result.output,
        )  # fmt: skip
        assert message in result.stderr, (args, result.stderr)
    assert [s.strategy_id for s in await place.store.strategies()] == [sid]


async def test_start_pause_resume_and_stop_go_through_the_control_topic(
    place: Place, cli: Cli, infra: Endpoints
) -> None:
    account = await place.account()
    sid = await cli.create(*owner_args(account), "--name", "ma", *MA)
    topic = cli.env["TICKSTREAM_STRATEGY_CONTROL_TOPIC"]

    async with applier(infra.kafka_bootstrap, topic, place.store) as applied:
        started = await cli("start", str(sid), "--user", str(account.user_id))
        again = await cli("start", str(sid))
        paused = await cli("pause", str(sid), "--reason", "lunch")
        resumed = await cli("start", str(sid))
        stopped = await cli("stop", str(sid), "--flatten")
        stopped_again = await cli("stop", str(sid))

    outputs = [r.stdout.strip() for r in (started, again, paused, resumed, stopped, stopped_again)]
    assert outputs == [
        f"RUNNING: strategy {sid} version 1",
        f"already running: strategy {sid} version 1",
        f"PAUSED: strategy {sid} version 1",
        f"RUNNING: strategy {sid} version 1",
        f"STOPPED: strategy {sid} version 1",
        f"already stopped: strategy {sid}",
    ]
    assert [e.type for e in applied] == [
        "StartStrategy", "PauseStrategy", "StartStrategy", "StopStrategy",
    ]  # fmt: skip
    assert all(e.payload.requested_by == account.user_id for e in applied)  # type: ignore[attr-defined]
    assert applied[1].payload.reason == "lunch"  # type: ignore[attr-defined]
    stop = applied[3].payload
    assert (stop.flatten, stop.cancel_orders) == (True, True)  # type: ignore[attr-defined]
    info = await place.store.info(sid)
    assert info is not None and info.status is StrategyStatus.STOPPED


async def test_a_start_nobody_applies_times_out_with_a_hint(place: Place, cli: Cli) -> None:
    account = await place.account()
    sid = await cli.create(*owner_args(account), "--name", "ma", *MA)

    result = await cli("start", str(sid), "--timeout", "1")

    assert result.exit_code == 2
    assert f"strategy {sid} is still STOPPED 1 s after the command was published" in result.stderr
    assert "tickstream status strategy_workers" in result.stderr


async def test_an_unreachable_postgres_exits_two(cli: Cli) -> None:
    broken = Cli({**cli.env, "TICKSTREAM_POSTGRES_DSN": "postgresql://x:y@127.0.0.1:1/none"})

    result = await broken("list")

    assert result.exit_code == 2
    assert "Postgres cannot be reached" in result.stderr
