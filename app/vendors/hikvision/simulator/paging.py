"""Paging and body helpers shared by the simulated cloud's handlers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from app.vendors.hikvision.simulator.state import CloudFaultError


def page_of(rows: Sequence[dict[str, Any]], body: dict[str, Any]) -> dict[str, Any]:
    """Paged `data`; page/pageSize <= 0 fall back to 1/20 (site/search's example sends 0, §3.6)."""
    page = as_int(body.get("page"), 1)
    size = as_int(body.get("pageSize"), 20)
    page, size = (page if page > 0 else 1), (size if size > 0 else 20)
    start = (page - 1) * size
    return {
        "page": page,
        "pageSize": size,
        "rows": list(rows[start : start + size]),
        "total": len(rows),
        "totalPage": max(1, math.ceil(len(rows) / size)),
    }


def as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def required(body: dict[str, Any], name: str) -> str:
    value = str(body.get(name) or "").strip()
    if not value:
        raise CloudFaultError("LAP000001")
    return value


def listed(body: dict[str, Any], name: str) -> list[Any]:
    """The JSON array `name` (absent or null: empty); any other type is a parameter error (LAP000001)."""
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise CloudFaultError("LAP000001")
    return value


def listed_objects(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The JSON array of objects `name`; an item that is not an object is a parameter error (LAP000001)."""
    items = listed(body, name)
    if not all(isinstance(item, dict) for item in items):
        raise CloudFaultError("LAP000001")
    return items


def listed_scalars(body: dict[str, Any], name: str) -> list[str]:
    """The JSON array of strings or numbers `name`, as strings; anything nested is LAP000001."""
    items = listed(body, name)
    if not all(isinstance(item, (str, int, float)) for item in items):
        raise CloudFaultError("LAP000001")
    return [str(item) for item in items]
