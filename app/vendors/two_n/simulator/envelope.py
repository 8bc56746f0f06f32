"""Replies as the intercom sends them: the JSON envelope, error texts, the `Server: HIP<version>` header."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.vendors.two_n.simulator.multipart import parse_multipart

#: Generic descriptions (§2.3); endpoint sections override some (see SimulatorError callers).
DESCRIPTIONS: dict[int, str] = {
    1: "function is not supported", 2: "invalid request path", 3: "invalid request method",
    4: "function is disabled", 7: "invalid connection type", 8: "invalid authentication method",
    9: "authorisation required", 10: "insufficient user privileges", 11: "missing mandatory parameter",
    12: "invalid parameter value", 13: "parameter data too big", 14: "unspecified processing error",
    15: "no data available", 17: "parameter shouldn't be present", 18: "request is rejected",
    19: "file version is lower than minimum",
}


class SimulatorError(Exception):
    """Raised by a handler to answer with an error envelope."""

    def __init__(self, code: int, param: str = "", description: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.param = param
        self.description = description or DESCRIPTIONS.get(code, "")


def json_reply(body: Mapping[str, Any], version: str, status: int = 200,
               headers: Mapping[str, str] | None = None) -> Response:
    """A JSON reply with the device's Server header."""
    all_headers = {"Server": f"HIP{version}", **(headers or {})}
    return Response(json.dumps(body, indent=2), status, all_headers, media_type="application/json")


def ok(version: str, result: Mapping[str, Any] | None = None) -> Response:
    """Positive reply, with `result` when the function returns parameters."""
    body: dict[str, Any] = {"success": True}
    if result is not None:
        body["result"] = dict(result)
    return json_reply(body, version)


def failure(version: str, error: SimulatorError, challenge: str = "") -> Response:
    """Negative reply: HTTP 200, or 401 with a challenge for code 9 (§2.3)."""
    detail: dict[str, Any] = {"code": error.code}
    if error.param:
        detail["param"] = error.param
    detail["description"] = error.description
    status = 401 if error.code == 9 else 200
    headers = {"WWW-Authenticate": challenge} if challenge else None
    return json_reply({"success": False, "error": detail}, version, status, headers)


class Params:
    """Parameters merged from query, urlencoded and multipart bodies, the last occurrence winning (§2.2).

    `blob-` parameters count only when they arrive as multipart parts.
    """

    def __init__(self, values: dict[str, str], blobs: dict[str, tuple[str, bytes, str]]) -> None:
        self.values = values
        self.blobs = blobs

    @classmethod
    async def read(cls, request: Request, max_blob: int) -> Params:
        """Parse every parameter of `request`; SimulatorError 13 for a blob above `max_blob` bytes."""
        values = {k: v for k, v in request.query_params.multi_items() if not k.startswith("blob-")}
        blobs: dict[str, tuple[str, bytes, str]] = {}
        content_type = request.headers.get("content-type", "")
        if request.method not in ("POST", "PUT"):
            return cls(values, blobs)
        if content_type.startswith("multipart/form-data"):
            try:
                parts = parse_multipart(await request.body(), content_type)
            except ValueError:
                raise SimulatorError(14) from None
            for part in parts:
                if part.name.startswith("blob-"):
                    data = part.data
                    if len(data) > max_blob:
                        raise SimulatorError(13, part.name)
                    blobs[part.name] = (part.filename or "", data, part.content_type)
                else:
                    values[part.name] = part.data.decode("utf-8", "replace")
        elif content_type.startswith("application/x-www-form-urlencoded"):
            async with request.form() as form:
                # A `blob-` parameter outside multipart is ignored (§2.2: multipart only).
                values.update({k: str(v) for k, v in form.multi_items() if not k.startswith("blob-")})
        return cls(values, blobs)

    def text(self, name: str, *, required: bool = False) -> str | None:
        """A simple parameter; SimulatorError 11 when required and absent."""
        value = self.values.get(name)
        if value is None and required:
            raise SimulatorError(11, name)
        return value

    def integer(self, name: str, *, required: bool = False, low: int | None = None,
                high: int | None = None) -> int | None:
        """An integer parameter in [low, high]; SimulatorError 11 when missing, 12 when invalid."""
        text = self.text(name, required=required)
        if text is None:
            return None
        try:
            value = int(text)
        except ValueError:
            raise SimulatorError(12, name) from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise SimulatorError(12, name)
        return value

    def blob(self, name: str, *, required: bool = False) -> tuple[str, bytes, str] | None:
        """A `blob-` part (filename, data, content type); SimulatorError 11 when required and absent."""
        blob = self.blobs.get(name)
        if blob is None and required:
            raise SimulatorError(11, name)
        return blob
