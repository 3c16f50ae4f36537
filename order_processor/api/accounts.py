"""``GET /api/v1/accounts/{account_id}/summary``: balance, P&L, exposure and margin."""

from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter

from order_processor.adapters import queries
from order_processor.adapters.rows import position_from
from order_processor.api.params import PROBLEMS
from order_processor.api.schemas.accounts import AccountSummaryPublic, MarkPublic
from order_processor.api.schemas.values import dec, iso, opt_iso
from order_processor.api.valuation import MARGIN_RULE, mark, summarize
from order_processor.api.wiring import AccountRules, Marks, NowNs, Owned
from shared.trading.daily_pnl import day_of

router = APIRouter(prefix="/api/v1/accounts/{account_id}", tags=["accounts"])


@router.get(
    "/summary",
    response_model=AccountSummaryPublic,
    summary="Balance, P&L, exposure and margin of an account",
    responses=PROBLEMS,
)
async def account_summary(
    owned: Owned, marks: Marks, now_ns: NowNs, rules: AccountRules
) -> AccountSummaryPublic:
    """The account's money now; open positions are marked at the last trade price (or at
    their entry when none is known: ``marks`` says which).
    """
    account = owned.account
    totals = await queries.totals(owned.conn, owned.account_id)
    positions = [
        position_from(r) for r in await queries.open_positions(owned.conn, owned.account_id)
    ]
    last = await marks.get({p.symbol for p in positions})
    marked = [mark(p, last, now_ns) for p in positions]
    s = summarize(
        account["starting_balance"],
        totals["realized"],
        totals["commissions"],
        marked,
        point_value=rules.point_value,
        margin_rate=rules.margin_rate,
    )
    day = day_of(now_ns)
    booked = totals["booked"] if totals["trading_day"] == day else Decimal(0)
    return AccountSummaryPublic(
        account_id=owned.account_id, name=account["name"], currency=account["currency"],
        starting_balance=dec(s.starting_balance), realized_pnl=dec(s.realized_pnl),
        commissions=dec(s.commissions), balance=dec(s.balance),
        unrealized_pnl=dec(s.unrealized_pnl), equity=dec(s.equity),
        open_positions=len(positions), working_orders=totals["working"],
        exposure=dec(s.exposure), margin_rate=dec(s.margin_rate),
        margin_in_use=dec(s.margin_in_use), margin_available=dec(s.margin_available),
        margin_rule=MARGIN_RULE, trading_day=day.isoformat(), realized_today=dec(booked),
        marks=[
            MarkPublic(symbol=m.position.symbol, price=dec(m.mark_price), source=m.mark_source,
                       time=opt_iso(m.mark_ns), ts_ns=m.mark_ns)
            for m in marked
            if m.mark_price is not None and m.mark_source is not None
        ],
        as_of=iso(now_ns), as_of_ns=now_ns,
    )  # fmt: skip
