"""Take a device list's certificates and credentials into the app's stores: each certificate pinned only
when the device presents the fingerprint the list names, each password kept under the device's identity."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from app.backend.credentials import CredentialStore
from app.backend.trust import TrustStore, fetch_certificate
from app.core.errors import AppError
from app.core.models import Credentials
from app.site.jobs.headless import same_fingerprint
from app.site.jobs.model import JobTarget

log = logging.getLogger(__name__)

#: Handshakes at once while adopting a list (each is one TLS handshake, nothing sent).
ADOPT_CONCURRENCY = 16


@dataclass(frozen=True, slots=True)
class Adopted:
    """How many listed devices were pinned and had credentials kept, and why the others were not."""

    pinned: int
    credentials: int
    refused: tuple[str, ...] = ()


async def adopt_listed_devices(
    targets: Sequence[JobTarget], trust: TrustStore, credentials: CredentialStore
) -> Adopted:
    """Pin each HTTPS device whose presented certificate matches the list; keep its listed credentials."""
    limit = asyncio.Semaphore(ADOPT_CONCURRENCY)
    refused: list[str] = []
    pinned = kept = 0

    async def adopt(target: JobTarget) -> None:
        nonlocal pinned, kept
        key = target.identity.key
        if not key:
            refused.append(f"{target.host}:{target.port} has no serial in the list")
            return
        if target.scheme == "https" and target.fingerprint and trust.pinned(key) is None:
            async with limit:
                try:
                    details = await fetch_certificate(target.endpoint)
                except AppError as err:
                    refused.append(f"{key}: {err}")
                    return
            if not same_fingerprint(details.fingerprint, target.fingerprint):
                refused.append(f"{key} presented {details.fingerprint}, not the listed fingerprint")
                return
            trust.trust(key, details)
            pinned += 1
        if target.password:
            credentials.save_device_credentials(key, Credentials(target.username, target.password))
            kept += 1

    await asyncio.gather(*(adopt(target) for target in targets))
    for reason in refused:
        log.warning("Device list: not adopted: %s", reason)
    return Adopted(pinned, kept, tuple(refused))
