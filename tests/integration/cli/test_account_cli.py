"""`tickstream account` against the real Postgres."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.cli.conftest import Cli

pytestmark = pytest.mark.integration


def test_the_same_create_twice_says_the_account_exists(ledger_cli: Cli) -> None:
    account, user = str(uuid.uuid4()), str(uuid.uuid4())
    args = ["account", "create", "--user-id", user, "--account-id", account, "--name", "twice"]

    first = ledger_cli(*args, "--balance", "25000")
    second = ledger_cli(*args, "--balance", "25000.00")

    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"created: account {account}")
    assert second.exit_code == 0, second.output
    assert second.stdout.startswith(f"exists: account {account}")


def test_a_create_that_conflicts_with_the_stored_account_exits_one(ledger_cli: Cli) -> None:
    account, user = str(uuid.uuid4()), str(uuid.uuid4())
    args = ["account", "create", "--account-id", account, "--name", "first"]
    assert ledger_cli(*args, "--user-id", user).exit_code == 0

    result = ledger_cli(*args, "--user-id", str(uuid.uuid4()))

    assert result.exit_code == 1
    assert f"account {account} exists with different values: user_id is {user}" in result.stderr


def test_list_shows_only_the_users_accounts(ledger_cli: Cli) -> None:
    user = str(uuid.uuid4())
    mine = [str(uuid.uuid4()) for _ in range(2)]
    for account in mine:
        args = ["--user-id", user, "--account-id", account, "--name", "mine", "--currency", "eur"]
        assert ledger_cli("account", "create", *args).exit_code == 0

    result = ledger_cli("account", "list", "--user-id", user)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ACCOUNT", "USER", "NAME", "BALANCE", "CURRENCY"]
    assert sorted(line.split()[0] for line in lines[1:]) == sorted(mine)
    assert all(line.split()[1:] == [user, "mine", "100000", "EUR"] for line in lines[1:])


def test_an_unreachable_postgres_exits_two(ledger_cli: Cli) -> None:
    env = {**ledger_cli.env, "TICKSTREAM_POSTGRES_DSN": "postgresql://x:y@127.0.0.1:1/none"}

    result = Cli(env)("account", "list")

    assert result.exit_code == 2
    assert "Postgres cannot be reached" in result.stderr
