"""Small validated readers for MSK-101-POE JSON bodies (every decode() goes through these)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.errors import DeviceProtocolError


def as_object(value: Any, what: str) -> Mapping[str, Any]:
    """`value` as a JSON object, else DeviceProtocolError naming `what`."""
    if not isinstance(value, Mapping):
        raise DeviceProtocolError(f"The sensor sent an unexpected {what} (not a JSON object).")
    return value


def as_list(value: Any, what: str) -> list[Any]:
    """`value` as a JSON array, else DeviceProtocolError naming `what`."""
    if not isinstance(value, list):
        raise DeviceProtocolError(f"The sensor sent an unexpected {what} (not a JSON array).")
    return value


def get_int(body: Mapping[str, Any], key: str, what: str, default: int | None = None) -> int:
    """The integer field `key` (a missing field gives `default` when one is given)."""
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DeviceProtocolError(f"The sensor's {what} lacks the number '{key}'.", detail=str(body)[:200])
    return int(value)


def get_str(body: Mapping[str, Any], key: str, what: str, default: str | None = None) -> str:
    """The string field `key` (a missing field gives `default` when one is given)."""
    value = body.get(key, default)
    if not isinstance(value, str):
        raise DeviceProtocolError(f"The sensor's {what} lacks the text '{key}'.", detail=str(body)[:200])
    return value
