"""Reading a paged Hik-Partner Pro list whole, in the document's page size and a bounded number of pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.vendors.hikvision.errors import HikProtocolError
from app.vendors.hikvision.models import Page

T = TypeVar("T")
#: The page size the document gives as the default of every paged list (§3.2, §3.6, §3.21).
PAGE_SIZE = 20
#: More pages than this (10 000 rows) is not a site a technician commissions: refused, not read forever.
MAX_PAGES = 500


async def read_all_pages(
    fetch: Callable[[int], Awaitable[Page[T]]], what: str, *, max_pages: int = MAX_PAGES
) -> tuple[T, ...]:
    """Every row of a list: page 1, then 2..totalPage (stopping at an empty page); HikProtocolError when
    the cloud reports more than `max_pages` pages."""
    first = await fetch(1)
    if first.total_pages > max_pages:
        raise HikProtocolError(
            f"Hik-Partner Pro reports {first.total_pages} pages of {what}; "
            f"more than {max_pages} are not read."
        )
    rows = list(first.rows)
    for number in range(2, first.total_pages + 1):
        page = await fetch(number)
        if not page.rows:
            break
        rows.extend(page.rows)
    return tuple(rows)
