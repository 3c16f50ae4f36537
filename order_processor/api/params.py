"""Query parameters shared by the ledger routes (times, pages) and the problems they raise.

A parameter that cannot be read answers 422 in the same problem+json shape as FastAPI's
own validation errors (``errors[].loc`` names the parameter).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from order_processor.adapters.queries import Page
from shared.service import ProblemError
from shared.service.problems import PROBLEM_JSON
from shared.times import parse_time

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
TIME_HELP = "ISO 8601 with Z or an offset (2026-03-06T14:30:00Z), or epoch nanoseconds"
NOT_FOUND = "urn:tickstream:problem:not-found"
PROBLEMS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such account of this user, or no such item in it"},
    422: {"description": "A parameter that cannot be read; the problem names it"},
    503: {"description": "The ledger database does not answer; retry after Retry-After"},
}
for _answer in PROBLEMS.values():
    _answer["content"] = {PROBLEM_JSON: {}}

_CURSOR = re.compile(r"(\d+):([0-9a-fA-F-]{32,36})")


def invalid(name: str, value: str, message: str) -> RequestValidationError:
    """A 422 naming the query parameter ``name``."""
    error = {"loc": ("query", name), "msg": message, "type": "value_error", "input": value}
    return RequestValidationError([error])


def not_found(what: str) -> ProblemError:
    """404; the same answer whether the thing is missing or belongs to someone else."""
    return ProblemError(404, NOT_FOUND, "Not found", f"{what} not found")


def cursor(ns: int, key: uuid.UUID) -> str:
    """The ``before`` value that continues after a row with this time and id."""
    return f"{ns}:{key}"


@dataclass(frozen=True, slots=True)
class Span:
    """[since_ns, until_ns), either end open when None."""

    since_ns: int | None
    until_ns: int | None


def _time(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError as exc:
        raise invalid(name, value, str(exc)) from None


async def _span(
    since: Annotated[str | None, Query(description=f"From this time on. {TIME_HELP}")] = None,
    until: Annotated[str | None, Query(description=f"Before this time. {TIME_HELP}")] = None,
) -> Span:
    span = Span(_time("since", since), _time("until", until))
    if span.since_ns is not None and span.until_ns is not None and span.since_ns > span.until_ns:
        raise invalid("until", str(until), f"until ({until}) is before since ({since})")
    return span


async def _page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page")] = DEFAULT_LIMIT,
    before: Annotated[
        str | None, Query(description="Continue after a page: its `next_before` value")
    ] = None,
) -> Page:
    if before is None:
        return Page(limit)
    match = _CURSOR.fullmatch(before.strip())
    try:
        if match is None:
            raise ValueError
        return Page(limit, (int(match.group(1)), uuid.UUID(match.group(2))))
    except ValueError:
        raise invalid("before", before, "not a cursor: pass a page's next_before") from None


TimeSpan = Annotated[Span, Depends(_span)]
Paging = Annotated[Page, Depends(_page)]
