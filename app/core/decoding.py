"""Strict JSON decoding of device answers and the small typed field readers every vendor uses.

Everything a peer can send (invalid UTF-8, NaN/Infinity, huge numbers, deep nesting, wrong types)
ends as the caller's DeviceProtocolError subclass; nothing else escapes.
"""

from __future__ import annotations

import enum
import json
import logging
import math
from collections.abc import Mapping
from typing import Any, NoReturn, TypeVar

from app.core.errors import AppError, DeviceProtocolError

#: Deeper JSON than this is refused: no device document nests anywhere near it.
MAX_DEPTH = 64
#: Integers with more digits than this are refused (a 64-bit value has at most 20).
MAX_INT_DIGITS = 24

E = TypeVar("E", bound=enum.Enum)
#: The error class a reader raises: DeviceProtocolError by default, or a vendor's own subclass.
ErrorType = type[AppError]

_warned: set[tuple[str, str, str]] = set()


def decode_json(data: bytes | str, what: str, *, error: ErrorType = DeviceProtocolError) -> Any:
    """The JSON value of a UTF-8 body; `error(...)` for anything else a strict parser would refuse.

    Refused: invalid UTF-8, NaN/Infinity, numbers that overflow a float, integers over MAX_INT_DIGITS
    digits, nesting deeper than MAX_DEPTH. `what` names the answer in the message ("the sensor info").
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
        value = json.loads(
            text.removeprefix("\ufeff"),
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except UnicodeDecodeError as err:
        raise error(f"{_capital(what)} is not UTF-8 text.", detail=str(err)) from err
    except RecursionError as err:
        raise error(f"{_capital(what)} is nested too deeply to be read.") from err
    except ValueError as err:  # JSONDecodeError and the parse_* refusals
        raise error(f"{_capital(what)} is not JSON the app can read.", detail=str(err)[:200]) from err
    if _depth_exceeds(value, MAX_DEPTH):
        raise error(f"{_capital(what)} is nested too deeply to be read.")
    return value


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits is out of range")
    return int(text)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """True when `value` nests containers more than `limit` deep (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def as_object(value: Any, what: str, *, error: ErrorType = DeviceProtocolError) -> dict[str, Any]:
    """`value` as a JSON object, else `error` naming `what`."""
    if not isinstance(value, dict):
        raise error(f"{_capital(what)} is not a JSON object.")
    return value


def as_list(value: Any, what: str, *, error: ErrorType = DeviceProtocolError) -> list[Any]:
    """`value` as a JSON array, else `error` naming `what`."""
    if not isinstance(value, list):
        raise error(f"{_capital(what)} is not a JSON array.")
    return value


def object_or_empty(value: Any, what: str, *, error: ErrorType = DeviceProtocolError) -> dict[str, Any]:
    """`value` as a JSON object, {} for an absent value (null), else `error` naming `what`."""
    return {} if value is None else as_object(value, what, error=error)


def object_items(value: Any) -> list[dict[str, Any]]:
    """The objects among a JSON array's items ([] when `value` is no array), for tolerant decoders."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def require(
    raw: Any, key: str, kind: type | tuple[type, ...], where: str, *, error: ErrorType = DeviceProtocolError
) -> Any:
    """`raw[key]` when `raw` is an object and the value is of `kind` (a bool is no int), else `error`.

    `where` names the answer from the technician's side: "the intercom's system info".
    """
    value = raw.get(key) if isinstance(raw, Mapping) else None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise error(f"{_capital(where)} lacks a valid {key!r}.", detail=repr(value)[:200])
    return value


def string(
    raw: Mapping[str, Any], key: str, where: str, *, default: str | None = None,
    error: ErrorType = DeviceProtocolError,
) -> str:
    """The text `raw[key]` (a missing key gives `default` when one is given), else `error`."""
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise error(f"{_capital(where)} lacks the text {key!r}.", detail=repr(value)[:200])
    return value


def number(
    raw: Mapping[str, Any], key: str, where: str, *, default: float | None = None,
    error: ErrorType = DeviceProtocolError,
) -> float:
    """The finite number `raw[key]` (a missing key gives `default` when one is given), else `error`."""
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise error(f"{_capital(where)} lacks the number {key!r}.", detail=repr(value)[:200])
    return float(value)


def integer(
    raw: Mapping[str, Any], key: str, where: str, *, default: int | None = None, truncate: bool = False,
    error: ErrorType = DeviceProtocolError,
) -> int:
    """The whole number `raw[key]` (3.0 counts; any finite number with `truncate`), else `error`.

    A missing key gives `default` when one is given.
    """
    value = raw.get(key, default)
    if isinstance(value, float) and math.isfinite(value) and (truncate or value.is_integer()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{_capital(where)} lacks the whole number {key!r}.", detail=repr(value)[:200])
    return value


def warn_unknown_once(logger: logging.Logger, kind: str, value: object, *, source: str = "device") -> None:
    """Log, once per process for each (kind, value), that a device sent a value this app does not know."""
    key = (logger.name, kind, repr(value)[:100])
    if key not in _warned:
        _warned.add(key)
        logger.warning("Unknown %s %r from the %s; treated as unknown", kind, value, source)


def enum_or_unknown(
    enum_type: type[E], value: object, unknown: E, logger: logging.Logger, *, source: str = "device"
) -> E:
    """The member of `enum_type` whose value is `value`, else `unknown` (logged once)."""
    for member in enum_type:
        if member.value == value and type(member.value) is type(value):
            return member
    warn_unknown_once(logger, enum_type.__name__, value, source=source)
    return unknown
