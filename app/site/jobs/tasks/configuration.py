"""Configuration copy: one device's settings onto others of the same model. The pre-flight check shows
each device's changes setting by setting (identity and network settings left out unless asked); the copy
writes only those and is done when the device reads every one of them back as sent."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.errors import DeviceError
from app.core.models import DeviceIdentity
from app.core.progress import ProgressReporter
from app.site.jobs.model import JobKind, JobTarget, Verdict
from app.site.jobs.work import DeviceAccess, DeviceSession, TaskResult
from app.site.naming import same_device
from app.vendors.base import Capability, CopiesConfiguration, DeviceClient, DeviceSettings

STEPS = ("Reading its configuration", "Writing the changed settings", "Reading the configuration back")
#: Setting names whose values are secrets: the preview and the job's record say only that they change.
_SECRET = re.compile(r"pass|secret|key|pin|token|credential", re.IGNORECASE)
HIDDEN = "(hidden)"


@dataclass(frozen=True, slots=True)
class SourceConfiguration:
    """The device the configuration comes from, and its settings."""

    identity: DeviceIdentity
    settings: DeviceSettings


@dataclass(frozen=True, slots=True)
class SettingChange:
    """One setting a copy changes: its value on the device now (None: not set) and the source's."""

    name: str
    before: str | None
    after: str
    label: str = ""

    def shown(self) -> dict[str, Any]:
        """The change as a preview row and the job's record keep it (secret values hidden)."""
        secret = bool(_SECRET.search(self.name))
        return {"name": self.label or self.name,
                "before": HIDDEN if secret and self.before is not None else self.before,
                "after": HIDDEN if secret else self.after}


def planned_changes(
    source: DeviceSettings, own: DeviceSettings, *, include_identity: bool
) -> list[SettingChange]:
    """The source's settings that differ on this device; identity ones (of either side) only when asked."""
    excluded: frozenset[str] = frozenset() if include_identity else source.identity | own.identity
    labels = {**own.labels, **source.labels}
    return [SettingChange(name, own.values.get(name), value, labels.get(name, ""))
            for name, value in source.values.items()
            if name not in excluded and own.values.get(name) != value]


SourceReader = Callable[[], Awaitable[SourceConfiguration]]


def source_reader(access: DeviceAccess, source: JobTarget) -> SourceReader:
    """read(): the source device's settings, read once (opened through `access`, then closed)."""
    lock = asyncio.Lock()
    read: list[SourceConfiguration] = []

    async def read_source() -> SourceConfiguration:
        async with lock:
            if not read:
                session = await access.open(source)
                try:
                    client = session.client
                    if not isinstance(client, CopiesConfiguration):
                        raise DeviceError("The source device cannot copy its configuration.")
                    read.append(SourceConfiguration(session.identity, await client.read_settings()))
                finally:
                    await session.aclose()
            return read[0]

    return read_source


class ConfigurationCopyTask:
    """Copies the source device's settings to each device of its model, confirming them by reading back."""

    kind = JobKind.CONFIGURATION_COPY
    capability = Capability.COPY_CONFIGURATION
    large_upload = False

    def __init__(
        self, source: JobTarget, read_source: SourceReader, *, include_identity: bool = False
    ) -> None:
        self.source = source
        self._read_source = read_source
        self.include_identity = include_identity

    def steps(self, client: DeviceClient) -> tuple[str, ...]:
        """Read, write what differs, read back."""
        return STEPS

    async def preflight(self, session: DeviceSession) -> Verdict:
        """Same model as the source, not the source itself; the changes it would get, setting by setting."""
        source = await self._read_source()
        identity = session.identity
        if same_device(source.identity, identity):
            return Verdict.skip("This is the device the configuration comes from.")
        if source.identity.model.lower() != identity.model.lower():
            return Verdict.cannot(f"Wrong model: the configuration comes from a {source.identity.model}, "
                                  f"this device is a {identity.model or 'device of unknown model'}.")
        changes = await self._changes(session, source)
        if not changes:
            return Verdict.skip(f"Already the same as the source ({len(source.settings.values)} settings).")
        return Verdict.can(f"{len(changes)} settings will change.", _preview(changes, source))

    async def run(self, session: DeviceSession, reporter: ProgressReporter) -> TaskResult:
        """Write the settings that differ now, then read them all back as sent."""
        source = await self._read_source()
        client = session.client
        assert isinstance(client, CopiesConfiguration)
        reporter.stage(STEPS[0])
        changes = await self._changes(session, source)
        if not changes:
            return TaskResult("Nothing to change: already the same as the source.", _preview([], source))
        reporter.stage(STEPS[1], message=f"{len(changes)} settings")
        sent = {change.name: change.after for change in changes}
        await client.write_settings(sent)
        reporter.stage(STEPS[2])
        now = (await client.read_settings()).values
        different = [name for name, value in sent.items() if now.get(name) != value]
        if different:
            raise DeviceError(f"The device reads {len(different)} of the {len(sent)} settings back otherwise "
                              f"than sent: {', '.join(different[:5])}.")
        return TaskResult(f"{len(sent)} settings copied; the device reads them all back as sent.",
                          _preview(changes, source))

    async def _changes(self, session: DeviceSession, source: SourceConfiguration) -> list[SettingChange]:
        client = session.client
        assert isinstance(client, CopiesConfiguration)
        own = await client.read_settings()
        return planned_changes(source.settings, own, include_identity=self.include_identity)

    def params(self) -> Mapping[str, Any]:
        """The source device and whether identity settings were copied too."""
        return {"source": self.source.public(), "include_identity": self.include_identity}


def _preview(changes: list[SettingChange], source: SourceConfiguration) -> dict[str, Any]:
    return {"source": source.identity.key, "changes": [change.shown() for change in changes]}
