"""PEM framing: the document's examples show bare base64 bodies, so frame them before parsing."""

from __future__ import annotations

import base64
import binascii
import re

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\s+(.+?)-----END \1-----", re.DOTALL)


def as_pem(body: bytes, label: str) -> bytes:
    """`body` as PEM: unchanged when it has BEGIN/END lines, else its base64 wrapped in `label` lines."""
    if b"-----BEGIN " in body:
        return body.strip() + b"\n"
    compact = b"".join(body.split())
    lines = [compact[i : i + 64] for i in range(0, len(compact), 64)]
    return (
        b"\n".join([f"-----BEGIN {label}-----".encode(), *lines, f"-----END {label}-----".encode()]) + b"\n"
    )


def pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    """Every (label, DER) block in PEM text; blocks whose base64 is broken are skipped."""
    blocks: list[tuple[str, bytes]] = []
    for match in _PEM_BLOCK.finditer(data):
        try:
            der = base64.b64decode(b"".join(match.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        blocks.append((match.group(1).decode("ascii"), der))
    return blocks


def is_pem(data: bytes) -> bool:
    """True when `data` holds at least one well-formed PEM block."""
    return bool(pem_blocks(data))
