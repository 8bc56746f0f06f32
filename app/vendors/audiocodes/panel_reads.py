"""The device reads behind each view of the Mediant panel, one call per view (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.core.certificates import CertificateDetails
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.errors import AudioCodesBadRequestError
from app.vendors.audiocodes.models import (
    AlarmDetail,
    AlarmPage,
    DeviceStatus,
    KpiValue,
    PrivateKeyInfo,
    TlsContext,
)
from app.vendors.audiocodes.permissions import UserLevel


@dataclass(frozen=True, slots=True)
class SessionOverview:
    """What the panel opens with: the logged-in user's level and the device's status."""

    level: UserLevel
    status: DeviceStatus


@dataclass(frozen=True, slots=True)
class ContextRow:
    """One TLS context: its private key's status and its certificate (None when it holds none)."""

    context: TlsContext
    key: PrivateKeyInfo
    certificate: CertificateDetails | None


@dataclass(frozen=True, slots=True)
class AlarmsView:
    """One page of alarms with each alarm's details; for active alarms, when they last changed."""

    page: AlarmPage
    details: dict[str, AlarmDetail]
    last_change: datetime | None


async def read_session_overview(client: AudioCodesClient) -> SessionOverview:
    """The user's level (detected once, then kept on the client) and GET /status."""
    level = client.user_level or await client.detect_user_level()
    client.user_level = level
    return SessionOverview(level, await client.status())


async def read_tls_contexts(client: AudioCodesClient) -> list[ContextRow]:
    """GET /files/tls, then each context's private key status and certificate (None when it has none)."""
    rows = []
    for context in await client.tls_contexts():
        key = await client.private_key(context.id)
        try:
            pem = await client.certificate(context.id)
        except AudioCodesBadRequestError:
            # Section 2: a resource without content answers 400 Bad Request: no certificate yet.
            pem = b""
        rows.append(ContextRow(context, key, certificate_details(pem)))
    return rows


async def read_alarms(
    client: AudioCodesClient, kind: str, *, limit: int, after: str = "", before: str = ""
) -> AlarmsView:
    """One page of `kind` ("active" or "history") alarms and their details; lastChange for active ones."""
    changed = await client.last_alarm_change() if kind == "active" else None
    page = await client.alarms(kind, limit=limit, after=after, before=before)
    details = {alarm.id: await client.alarm(kind, alarm.id) for alarm in page.alarms}
    return AlarmsView(page, details, changed)


def certificate_details(pem: bytes) -> CertificateDetails | None:
    """Subject, issuer, validity and fingerprint of a PEM certificate; None when it is not one."""
    try:
        der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    except ValueError:
        return None
    return CertificateDetails.from_der(der)


@dataclass(frozen=True, slots=True)
class AcceptanceView:
    """What a technician shows the customer: call and registration counters, and the active alarms."""

    calls: list[KpiValue]
    registrations: list[KpiValue]
    active_alarms: AlarmPage


async def read_acceptance(client: AudioCodesClient) -> AcceptanceView:
    """The SBC's current call and registration KPIs (section 12) and the first page of active alarms."""
    calls = await client.current_kpis("sbc", "callStats")
    registrations = await client.current_kpis("sbc", "otherStats")
    return AcceptanceView(calls, registrations, await client.alarms("active", limit=50))
