"""Helpers shared by the simulated Mediant's route groups: answers, uploads, the permission table."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.vendors.audiocodes.permissions import UserLevel

MONITOR, ADMIN, SECURITY = UserLevel.MONITOR, UserLevel.ADMINISTRATOR, UserLevel.SECURITY_ADMINISTRATOR
ALL_METHODS = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]
HA_SYNC_TEXT = "Device is currently performing HA synchronization"

#: Table 2-2: minimum level per resource and method; a method not listed answers 405.
PERMISSIONS: list[tuple[re.Pattern[str], dict[str, UserLevel]]] = [
    (re.compile(p), levels)
    for p, levels in (
        (r"^/api/v1/?$", {"GET": MONITOR}),
        (r"^/api/v1/actions/?$", {"GET": ADMIN}),
        (r"^/api/v1/actions/(reset|saveConfiguration)$", {"POST": ADMIN}),
        (r"^/api/v1/actions/authToken$", {"POST": SECURITY}),
        (r"^/api/v1/status(/debugFile)?$", {"GET": MONITOR}),
        (r"^/api/v1/license$", {"GET": ADMIN, "PUT": SECURITY}),
        (r"^/api/v1/alarms(/(active|history)(/[^/]+)?)?$", {"GET": MONITOR}),
        (r"^/api/v1/files/?$", {"GET": ADMIN}),
        (r"^/api/v1/files/(ini|cliScript)$", {"GET": SECURITY, "PUT": SECURITY}),
        (r"^/api/v1/files/(ini|cliScript)/incremental$", {"PUT": SECURITY}),
        (r"^/api/v1/files/software(/hitless)?$", {"PUT": ADMIN}),
        (r"^/api/v1/files/create/[^/]+$", {"POST": ADMIN}),
        (r"^/api/v1/files/status/[^/]+$", {"GET": ADMIN}),
        (r"^/api/v1/files/tls(/.*)?$", {"GET": SECURITY, "PUT": SECURITY, "POST": SECURITY}),
    )
]


def described(text: str, status: int = 200, **extra: Any) -> JSONResponse:
    """A JSON answer with the device's usual `description` field."""
    return JSONResponse({"description": text, **extra}, status_code=status)


def octets(data: bytes, status: int = 200) -> Response:
    """A file download (application/octet-stream, section 7 File Download Encoding)."""
    return Response(data, status_code=status, media_type="application/octet-stream")


async def uploaded_file(request: Request) -> tuple[bytes, str, dict[str, str]] | None:
    """(content, filename, other form fields) of a multipart upload's "file" part, or None."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return None
    async with request.form() as form:
        part = form.get("file")
        if not isinstance(part, UploadFile):
            return None
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return await part.read(), part.filename or "", fields


async def json_body(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when it is not one."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
