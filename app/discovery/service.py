"""DiscoveryService: mDNS browsing, identification, manual add and scans feeding one DeviceInventory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from app.core.errors import DeviceError
from app.core.models import DeviceCandidate, Endpoint
from app.discovery.browser import RESOLVE_TIMEOUT_S, BrowseEvent, BrowseEventKind, MdnsBrowser
from app.discovery.identify import (
    DEFAULT_CONCURRENCY,
    DeviceNotRecognisedError,
    Identification,
    Identifier,
    make_probe_client,
)
from app.discovery.inventory import DeviceEntry, DeviceInventory, PinnedLookup
from app.discovery.manual import add_manual, plugins_for_port
from app.discovery.scan import ScanProgress, find_open_ports, parse_ports, parse_range
from app.vendors.base import AnyPlugin

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a range scan found: identified devices, and open ports no plugin recognised (with why)."""

    addresses_scanned: int
    devices: list[DeviceEntry] = field(default_factory=list)
    unrecognised: list[tuple[Endpoint, str]] = field(default_factory=list)


def address_source(endpoint: Endpoint) -> str:
    """The inventory source name of a device reached by address (manual add, scan, re-probe)."""
    return f"addr:{endpoint.host}:{endpoint.port}"


def _registry_plugins() -> tuple[AnyPlugin, ...]:
    from app.vendors.registry import plugins

    return plugins()


def _trust_store_pins() -> PinnedLookup:
    from app.backend.trust import TrustStore

    return TrustStore().pinned


class DiscoveryService:
    """Ties the mDNS browser, the identifier and the inventory together for the GUI and the CLI."""

    def __init__(
        self,
        plugins: Sequence[AnyPlugin] | None = None,
        *,
        inventory: DeviceInventory | None = None,
        pinned: PinnedLookup | None = None,
        http_factory: Callable[[], httpx.AsyncClient] = make_probe_client,
        concurrency: int = DEFAULT_CONCURRENCY,
        resolve_timeout: float = RESOLVE_TIMEOUT_S,
    ) -> None:
        self._plugins = tuple(plugins) if plugins is not None else _registry_plugins()
        self.inventory = inventory or DeviceInventory(pinned or _trust_store_pins())
        self._identifier = Identifier(self._plugins, http_factory=http_factory, concurrency=concurrency)
        self._resolve_timeout = resolve_timeout
        self._browser: MdnsBrowser | None = None
        self._unsubscribe_browser: Callable[[], None] | None = None
        self._identifying: dict[str, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def plugins(self) -> tuple[AnyPlugin, ...]:
        """The vendor plugins this service identifies with."""
        return self._plugins

    @property
    def browsing(self) -> bool:
        """True between start() and stop()."""
        return self._browser is not None

    def service_types(self) -> tuple[str, ...]:
        """Union of the plugins' DNS-SD service types, in plugin order."""
        return tuple(dict.fromkeys(t for plugin in self._plugins for t in plugin.service_types))

    async def start(self, interfaces: Sequence[str]) -> None:
        """Browse every plugin's service types on the given interface addresses (restarts if browsing)."""
        await self._stop_browser()
        await self.prepare()
        self._browser = MdnsBrowser(self.service_types(), interfaces, resolve_timeout=self._resolve_timeout)
        self._unsubscribe_browser = self._browser.subscribe(self._on_browse_event)
        await self._browser.start()

    async def prepare(self) -> None:
        """Get the identification client ready (done by start(); call early to keep it off the clock)."""
        await self._identifier.prepare()

    async def stop(self) -> None:
        """Stop browsing, cancel identifications in flight, close the probe client; start() may follow."""
        await self._stop_browser()
        tasks = list(self._identifying.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self._identifier.aclose()

    async def idle(self) -> None:
        """Wait until no identification is in flight."""
        await self._idle.wait()

    async def manual_add(self, text: str, *, extra_ports: Sequence[int] = ()) -> DeviceEntry:
        """Identify the device at a typed host or IP[:port] and add it; raises the manual-add errors."""
        result = await add_manual(self._identifier, text, extra_ports=extra_ports)
        return self.inventory.observe(result, source=address_source(result.candidate.endpoint))

    async def scan(
        self, range_text: str, ports: Sequence[int | str] = (), *, progress: ScanProgress | None = None
    ) -> ScanResult:
        """Scan an IPv4 range or CIDR on `ports` plus every plugin's defaults; add what is identified."""
        addresses = [str(address) for address in parse_range(range_text)]
        defaults = [port for plugin in self._plugins for port in plugin.default_ports]
        all_ports = parse_ports([*ports, *defaults])
        open_ports = await find_open_ports(addresses, all_ports, progress=progress)
        results = await asyncio.gather(*(self._identify_open_port(host, port) for host, port in open_ports))
        found = ScanResult(len(addresses))
        for endpoint, outcome in results:
            if isinstance(outcome, str):
                found.unrecognised.append((endpoint, outcome))
            else:
                found.devices.append(self.inventory.observe(outcome, source=address_source(endpoint)))
        return found

    async def refresh(self) -> list[DeviceEntry]:
        """Re-probe every identified device where it was last seen; those that do not answer go OFFLINE."""
        entries = [entry for entry in self.inventory.entries() if entry.identified]
        results = await asyncio.gather(*(self._reprobe(entry.candidate) for entry in entries))
        return [
            self.inventory.observe(result, source=address_source(result.candidate.endpoint))
            for result in results if result is not None
        ]

    async def _reprobe(self, candidate: DeviceCandidate) -> Identification | None:
        plugin = next((p for p in self._plugins if p.vendor_id == candidate.identity.vendor), None)
        if plugin is None:
            return None
        return await self._identifier.identify_candidate(plugin, candidate)

    async def _identify_open_port(self, host: str, port: int) -> tuple[Endpoint, Identification | str]:
        endpoint = Endpoint(host, port)
        try:
            plugins = plugins_for_port(self._plugins, port)
            return endpoint, await self._identifier.identify_endpoint(endpoint, plugins)
        except DeviceNotRecognisedError as err:
            return endpoint, err.detail or err.message
        except DeviceError as err:
            return endpoint, err.message
        except Exception as err:  # the sink of one address: a plugin bug must not stop the whole scan
            log.exception("identification of %s failed", endpoint)
            return endpoint, f"could not be identified ({type(err).__name__})"

    def _on_browse_event(self, event: BrowseEvent) -> None:
        previous = self._identifying.pop(event.name, None)
        if previous is not None:
            previous.cancel()
        if event.kind is BrowseEventKind.REMOVED or event.record is None:
            self.inventory.source_gone(event.name)
            self._update_idle()
            return
        claimed = self._identifier.claim(event.record)
        if claimed is None:
            log.debug("no plugin claims %s", event.name)
            self._update_idle()
            return
        plugin, candidate = claimed
        self.inventory.observe(Identification(candidate, plugin, "Identifying…"), source=event.name)
        task = asyncio.get_running_loop().create_task(self._identify(event.name, plugin, candidate))
        self._identifying[event.name] = task
        self._update_idle()

    async def _identify(self, source: str, plugin: AnyPlugin, candidate: DeviceCandidate) -> None:
        try:
            self.inventory.observe(await self._identify_safely(plugin, candidate), source=source)
        finally:
            if self._identifying.get(source) is asyncio.current_task():
                del self._identifying[source]
            self._update_idle()

    async def _identify_safely(self, plugin: AnyPlugin, candidate: DeviceCandidate) -> Identification:
        try:
            return await self._identifier.identify_candidate(plugin, candidate)
        except Exception as err:  # the sink of this background task: a plugin bug must not stop discovery
            log.exception("%s identification of %s failed", plugin.display_name, candidate.endpoint)
            reason = f"{plugin.display_name} could not identify it ({type(err).__name__})"
            return Identification(candidate, plugin, reason)

    def _update_idle(self) -> None:
        if self._identifying:
            self._idle.clear()
        else:
            self._idle.set()

    async def _stop_browser(self) -> None:
        if self._unsubscribe_browser is not None:
            self._unsubscribe_browser()
            self._unsubscribe_browser = None
        if self._browser is not None:
            await self._browser.stop()
            self._browser = None
