"""DNS-SD browsing with zeroconf: every vendor service type, on chosen interface addresses only."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import ipaddress
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from zeroconf import DNSQuestionType, IPVersion, ServiceInfo, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from app.core.models import DiscoveryRecord

log = logging.getLogger(__name__)

#: How long one service may take to resolve (SRV, TXT, address) once its PTR record was seen.
RESOLVE_TIMEOUT_S = 3.0
# Questions are always QM (multicast answers). A QU question asks for a unicast answer to port 5353,
# which the kernel hands to ONE of the sockets sharing that port: on a laptop that also runs avahi or
# Bonjour (and on loopback with a simulated site) the answer often lands in the other process.
_QUESTION_TYPE = DNSQuestionType.QM


class BrowseEventKind(enum.Enum):
    """What happened to a DNS-SD service."""

    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class BrowseEvent:
    """A service appeared (resolved), changed, or left; `name` is the full DNS-SD service name."""

    kind: BrowseEventKind
    name: str
    record: DiscoveryRecord | None


BrowseCallback = Callable[[BrowseEvent], None]


def normalise_service_type(service_type: str) -> str:
    """`_axis-video._tcp` or `_axis-video._tcp.local` as zeroconf wants it: `_axis-video._tcp.local.`."""
    name = service_type.strip().rstrip(".")
    if not name.endswith(".local"):
        name += ".local"
    return name + "."


def ip_version_for(interfaces: Sequence[str]) -> IPVersion:
    """V4Only, V6Only or All, from the families of the interface addresses given."""
    versions = {ipaddress.ip_address(address.split("%")[0]).version for address in interfaces}
    if versions == {4}:
        return IPVersion.V4Only
    if versions == {6}:
        return IPVersion.V6Only
    return IPVersion.All


def record_from_info(info: ServiceInfo) -> DiscoveryRecord:
    """A DiscoveryRecord from a resolved zeroconf ServiceInfo.

    `instance_name` is the instance label alone ("AXIS M1065-L - ACCC8E012345"), `service_type` and
    `host_name` are fully qualified with their trailing dot (`_axis-video._tcp.local.`, `x.local.`).
    """
    service_type = info.type
    instance = info.name[: -len(service_type) - 1] if info.name.endswith("." + service_type) else info.name
    txt = {
        key.decode("utf-8", "replace"): (value or b"").decode("utf-8", "replace")
        for key, value in info.properties.items()
    }
    return DiscoveryRecord(
        service_type=service_type,
        instance_name=instance,
        host_name=info.server or "",
        addresses=tuple(info.parsed_scoped_addresses()),
        port=info.port or 0,
        txt=txt,
    )


class MdnsBrowser:
    """Browses the given service types on the given interface addresses and resolves every service.

    Subscribers get ADDED once a service is resolved, UPDATED when its port, TXT or address changes,
    and REMOVED when it says goodbye or its records expire.
    """

    def __init__(
        self,
        service_types: Sequence[str],
        interfaces: Sequence[str],
        *,
        resolve_timeout: float = RESOLVE_TIMEOUT_S,
    ) -> None:
        if not interfaces:
            raise ValueError("choose at least one interface address to browse on")
        self._types = sorted({normalise_service_type(t) for t in service_types})
        self._interfaces = list(interfaces)
        self._resolve_timeout_ms = int(resolve_timeout * 1000)
        self._aiozc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._records: dict[str, DiscoveryRecord] = {}
        self._resolving: dict[str, asyncio.Task[None]] = {}
        self._subscribers: list[BrowseCallback] = []

    @property
    def records(self) -> Mapping[str, DiscoveryRecord]:
        """Resolved services by full service name."""
        return self._records

    @property
    def service_types(self) -> tuple[str, ...]:
        """The fully qualified service types being browsed."""
        return tuple(self._types)

    def subscribe(self, callback: BrowseCallback) -> Callable[[], None]:
        """Call `callback` for every event from now on; returns the unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    async def start(self) -> None:
        """Open the mDNS sockets on the chosen interfaces and start browsing."""
        if self._aiozc is not None:
            return
        if not self._types:
            log.warning("no DNS-SD service types to browse")
            return
        self._aiozc = AsyncZeroconf(interfaces=self._interfaces, ip_version=ip_version_for(self._interfaces))
        self._browser = AsyncServiceBrowser(
            self._aiozc.zeroconf, list(self._types), handlers=[self._on_state_change],
            question_type=_QUESTION_TYPE,
        )
        log.info("browsing %s on %s", ", ".join(self._types), ", ".join(self._interfaces))

    async def stop(self) -> None:
        """Stop browsing, cancel pending resolutions and close the sockets."""
        for task in self._resolving.values():
            task.cancel()
        await asyncio.gather(*self._resolving.values(), return_exceptions=True)
        self._resolving.clear()
        if self._browser is not None:
            await self._browser.async_cancel()
            self._browser = None
        if self._aiozc is not None:
            await self._aiozc.async_close()
            self._aiozc = None

    def _on_state_change(
        self, zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Removed:
            self._forget(name)
            return
        # The answers to a browse query arrive in a burst of packets: a PTR may come before its SRV,
        # TXT and address records. Every later record fires UPDATED, so the cache usually completes
        # the service without another query; a query is sent only when it stays incomplete.
        info = AsyncServiceInfo(service_type, name)
        if info.load_from_cache(zeroconf):
            self._resolved(name, info)
        elif name not in self._resolving:
            task = asyncio.get_running_loop().create_task(self._resolve(zeroconf, info))
            self._resolving[name] = task

    async def _resolve(self, zeroconf: Zeroconf, info: AsyncServiceInfo) -> None:
        name = info.name
        try:
            if await info.async_request(zeroconf, self._resolve_timeout_ms, question_type=_QUESTION_TYPE):
                self._resolved(name, info)
            else:
                log.info("%s did not resolve within %.1f s", name, self._resolve_timeout_ms / 1000)
        finally:
            if self._resolving.get(name) is asyncio.current_task():
                del self._resolving[name]

    def _resolved(self, name: str, info: AsyncServiceInfo) -> None:
        pending = self._resolving.pop(name, None)
        if pending is not None and pending is not asyncio.current_task():
            pending.cancel()
        record = record_from_info(info)
        if not record.addresses or not record.port:
            return
        previous = self._records.get(name)
        if previous == record:
            return
        self._records[name] = record
        kind = BrowseEventKind.ADDED if previous is None else BrowseEventKind.UPDATED
        self._emit(BrowseEvent(kind, name, record))

    def _forget(self, name: str) -> None:
        pending = self._resolving.pop(name, None)
        if pending is not None:
            pending.cancel()
        record = self._records.pop(name, None)
        if record is not None:
            self._emit(BrowseEvent(BrowseEventKind.REMOVED, name, record))

    def _emit(self, event: BrowseEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # runs inside zeroconf's record handling, which must go on
                log.exception("browse subscriber %r failed", callback)
