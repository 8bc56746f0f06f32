"""Helpers shared by the simulated Mediant's route groups: answers, uploads, the permission table."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser
from typing import Any

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
        (r"^/api/v1/kpi(/.*)?$", {"GET": MONITOR}),
        (r"^/api/v1/license$", {"GET": ADMIN, "PUT": SECURITY}),
        (r"^/api/v1/alarms(/(active|history)(/[^/]+)?)?$", {"GET": MONITOR}),
        (r"^/api/v1/files/?$", {"GET": ADMIN}),
        (r"^/api/v1/files/(ini|cliScript)$", {"GET": SECURITY, "PUT": SECURITY}),
        (r"^/api/v1/files/(ini|cliScript)/incremental$", {"PUT": SECURITY}),
        (r"^/api/v1/files/software(/hitless)?$", {"PUT": ADMIN}),
        (r"^/api/v1/files/create/[^/]+$", {"POST": ADMIN}),
        (r"^/api/v1/files/status/[^/]+$", {"GET": ADMIN}),
        # Section 7, TLS Context Files: each resource's own methods; the others answer 405.
        (r"^/api/v1/files/tls(/[^/]+)?/?$", {"GET": SECURITY}),
        (
            r"^/api/v1/files/tls/[^/]+/(privateKey|certificate|trustedRoot)$",
            {"GET": SECURITY, "PUT": SECURITY},
        ),
        (r"^/api/v1/files/tls/[^/]+/(privateKey|certificate)/generate$", {"POST": SECURITY}),
        (r"^/api/v1/files/tls/[^/]+/certificate/request$", {"POST": SECURITY}),
        (r"^/api/v1/files/tls/[^/]+/trustedRoot/incremental$", {"PUT": SECURITY}),
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
    """(content, filename, other form fields) of a multipart upload's file part, or None.

    The document's examples name the part "file"; scripts in the field send it under other names or
    with no name at all, and the device takes the file all the same: the first part with a filename
    (else the first unnamed part) is the file, whatever its name.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return None
    return file_part(content_type, await request.body())


def file_part(content_type: str, body: bytes) -> tuple[bytes, str, dict[str, str]] | None:
    """The file part and the named text fields of a multipart/form-data body."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    found: tuple[bytes, str] | None = None
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        name, filename = part.get_param("name", header="content-disposition"), part.get_filename()
        if filename is not None or not name:
            found = found or (content, filename or "")
        else:
            fields[str(name)] = content.decode("utf-8", "replace")
    return None if found is None else (found[0], found[1], fields)


async def json_body(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when it is not one."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
