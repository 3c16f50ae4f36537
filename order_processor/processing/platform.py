"""Platform-wide commands across replicas.

The command topic is keyed by account, so a platform-wide command (no account, keyed
``global``) reaches one replica only. That replica does not act on it in memory: it fans
it out as one account-scoped copy per account with working orders or open positions,
through the outbox back onto the command topic, where each copy reaches the replica that
holds its account. A copy's message id derives from the original and the account, so a
repeated fan-out is deduplicated by the inbox. The platform-wide trading state is read
from the ledger at the start of every batch, so every replica sees a change made by any.
"""

from __future__ import annotations

from order_processor.adapters.rows import NIL
from shared.clock import Clock
from shared.db.outbox import enqueue
from shared.db.pool import Connection
from shared.messages import Envelope, Payload
from shared.messages.envelope import new_envelope
from shared.messages.schemas.orders import Sweep
from shared.messages.schemas.risk import StateScope, TradingState
from shared.trading.ids import derive_id
from shared.trading.orders import WORKING
from shared.trading.state import EngineState

_ACCOUNTS_IN_PLAY = (
    "SELECT DISTINCT account_id, user_id FROM orders WHERE status = ANY($1::text[]) "
    "UNION SELECT DISTINCT account_id, user_id FROM positions WHERE closed_ns IS NULL"
)


def is_platform_wide(payload: Payload) -> bool:
    """A cancel-all or flatten-all for every account."""
    return isinstance(payload, Sweep) and payload.account_id is None


async def fan_out(
    conn: Connection, command: Envelope[Payload], topic: str | None, clock: Clock
) -> int:
    """Write one account-scoped copy of ``command`` per account in play; how many."""
    copies = []
    for row in await conn.fetch(_ACCOUNTS_IN_PLAY, [s.value for s in WORKING]):
        payload = command.payload.model_copy(
            update={"account_id": row["account_id"], "user_id": row["user_id"]}
        )
        copies.append(
            new_envelope(
                payload,
                clock=clock,
                producer=command.producer,
                causation=command,
                message_id=derive_id(command.message_id, row["account_id"]),
            )
        )
    return await enqueue(conn, copies, topic=topic)


async def load_global_state(conn: Connection, st: EngineState) -> None:
    """Refresh the platform-wide trading state from the ledger."""
    state = await conn.fetchval(
        "SELECT state FROM trading_states WHERE account_id = $1 AND strategy_id = $1", NIL
    )
    st.states.load(StateScope.GLOBAL, None, None, TradingState(state or "ACTIVE"))
