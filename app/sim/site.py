"""A simulated site: many vendor simulators served on loopback and advertised over mDNS by one responder."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field

from zeroconf import IPVersion, ServiceInfo
from zeroconf.asyncio import AsyncZeroconf

from app.core.clock import Clock, SystemClock
from app.core.models import VendorId
from app.sim.certs import DeviceCertificate
from app.sim.server import RunningDevice, serve_device
from app.vendors.base import AnyPlugin, SimulatedDevice

log = logging.getLogger(__name__)

#: Servers started at once; each needs a key pair, a certificate and a listening socket.
START_CONCURRENCY = 32

PluginLookup = Callable[[VendorId], AnyPlugin]
ReadyCallback = Callable[[RunningDevice], None]


def _registry_lookup(vendor: VendorId) -> AnyPlugin:
    from app.vendors.registry import plugin_for

    return plugin_for(vendor)


def vendor_mix(vendors: Sequence[VendorId], count: int) -> list[VendorId]:
    """`count` vendor ids round-robin over `vendors` (every registered vendor when empty)."""
    from app.vendors.registry import vendor_ids

    chosen = list(vendors) or list(vendor_ids())
    return list(itertools.islice(itertools.cycle(chosen), count))


def site_mix(count: int) -> list[VendorId]:
    """A demo site of `count` devices: every demo vendor once (the cloud service only once), then the
    LAN vendors that announce themselves over mDNS round-robin, so the site fills the list by itself."""
    from app.vendors.base import VendorKind
    from app.vendors.registry import demo_vendors, plugin_for

    first = list(demo_vendors())
    announced = [vendor for vendor in first if plugin_for(vendor).kind is VendorKind.LAN_DEVICE
                 and plugin_for(vendor).service_types]
    rest = vendor_mix(announced, max(count - len(first), 0)) if announced else []
    return (first + rest)[:count]


def _fqdn(name: str) -> str:
    return name.rstrip(".") + "."


def service_info_for(running: RunningDevice, address: str) -> ServiceInfo | None:
    """The DNS-SD registration of a running device whose info carries an mDNS advert, else None."""
    advert = running.device.info.advert
    if advert is None:
        return None
    service_type = advert.service_type.rstrip(".")
    service_type = _fqdn(service_type if service_type.endswith(".local") else service_type + ".local")
    return ServiceInfo(
        service_type,
        f"{advert.instance_name}.{service_type}",
        addresses=[ipaddress.IPv4Address(address).packed],
        port=running.endpoint.port,
        properties=dict(advert.txt),
        server=_fqdn(advert.host_name),
    )


@dataclass
class SimulatedSite:
    """The devices of a running site, in start order, and the responder announcing them."""

    host: str
    devices: list[RunningDevice] = field(default_factory=list)
    zeroconf: AsyncZeroconf | None = None
    failed: list[tuple[VendorId, str]] = field(default_factory=list)
    _adverts: dict[int, ServiceInfo] = field(default_factory=dict)
    _stops: dict[int, asyncio.Event] = field(default_factory=dict)
    _tasks: dict[int, asyncio.Task[None]] = field(default_factory=dict)
    _moves: set[asyncio.Task[RunningDevice]] = field(default_factory=set)

    def find(self, serial: str) -> RunningDevice:
        """The running device with this serial; KeyError if none."""
        for running in self.devices:
            if running.device.info.serial == serial:
                return running
        raise KeyError(serial)

    async def advertise(self, running: RunningDevice) -> None:
        """Announce the device over mDNS (no-op for devices without an advert or without a responder)."""
        info = service_info_for(running, self.host)
        if info is None or self.zeroconf is None:
            return
        # The names are ours and unique within the site: skip the 1.75 s of conflict probing (RFC 6762 §8.1).
        await self.zeroconf.async_register_service(info, cooperating_responders=True)
        self._adverts[id(running.device)] = info

    async def withdraw(self, running: RunningDevice) -> None:
        """Say goodbye over mDNS for the device (TTL 0) if it was announced."""
        info = self._adverts.pop(id(running.device), None)
        if info is not None and self.zeroconf is not None:
            await self.zeroconf.async_unregister_service(info)

    def _forget_silently(self, running: RunningDevice) -> None:
        # Stop answering for the device without a goodbye: other caches keep it until its TTL ends.
        info = self._adverts.pop(id(running.device), None)
        if info is not None and self.zeroconf is not None:
            self.zeroconf.zeroconf.registry.async_remove(info)

    async def remove(self, serial: str, *, goodbye: bool = True) -> None:
        """Stop the device's server after an mDNS goodbye (a clean shutdown), or without (power lost)."""
        running = self.find(serial)
        if goodbye:
            await self.withdraw(running)
        else:
            self._forget_silently(running)
        key = id(running.device)
        self._stops.pop(key).set()
        await self._tasks.pop(key)
        self.devices.remove(running)

    async def move(self, serial: str, ready: ReadyCallback | None = None) -> RunningDevice:
        """Restart the device on a new port (same identity and certificate) and re-announce it there."""
        running = self.find(serial)
        await self.remove(serial)
        return await self.add(running.device, ready=ready, certificate=running.certificate)

    async def add(
        self,
        device: SimulatedDevice,
        *,
        ready: ReadyCallback | None = None,
        certificate: DeviceCertificate | None = None,
    ) -> RunningDevice:
        """Serve and announce one more device (a fresh certificate unless given); returns once it listens."""
        loop = asyncio.get_running_loop()
        started: asyncio.Future[RunningDevice] = loop.create_future()
        stop = asyncio.Event()
        if certificate is None:
            certificate = await asyncio.to_thread(_served_certificate, device)
        task = loop.create_task(self._serve(device, started, stop, certificate))
        try:
            running = await started
        except BaseException:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            raise
        self._stops[id(device)] = stop
        self._tasks[id(device)] = task
        self.devices.append(running)
        _follow_certificate_changes(device, running)
        self._follow_address_changes(device)
        await self.advertise(running)
        if ready is not None:
            ready(running)
        return running

    def _follow_address_changes(self, device: SimulatedDevice) -> None:
        """Move the device to a new port (its new address on loopback) when it takes new network settings."""
        if not hasattr(device, "on_address_changed"):
            return

        def moved() -> None:
            task = asyncio.get_running_loop().create_task(self.move(device.info.serial))
            self._moves.add(task)
            task.add_done_callback(self._moves.discard)

        device.on_address_changed = moved

    async def _serve(
        self,
        device: SimulatedDevice,
        started: asyncio.Future[RunningDevice],
        stop: asyncio.Event,
        certificate: DeviceCertificate | None,
    ) -> None:
        try:
            async with serve_device(device, host=self.host, certificate=certificate) as running:
                if started.done():
                    return
                started.set_result(running)
                await stop.wait()
                # Do not wait for clients to close their keep-alive TLS connections (up to 30 s each).
                running.server.force_exit = True
        except Exception as err:
            if not started.done():
                started.set_exception(err)
                return
            raise

    async def close(self) -> None:
        """Stop every device and the responder (goodbyes are sent for every announcement)."""
        for move in list(self._moves):
            move.cancel()
        await asyncio.gather(*self._moves, return_exceptions=True)
        for stop in self._stops.values():
            stop.set()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self._stops.clear()
        self._tasks.clear()
        self.devices.clear()
        if self.zeroconf is not None:
            await self.zeroconf.async_close()
            self.zeroconf = None


def _served_certificate(device: SimulatedDevice) -> DeviceCertificate | None:
    """The certificate a simulator says it serves (a Mediant's TLS context 0), else None for a fresh one."""
    served = getattr(device, "served_certificate", None)
    if served is None:
        return None
    pair = served()
    return DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)


def _follow_certificate_changes(device: SimulatedDevice, running: RunningDevice) -> None:
    """Serve the simulator's new certificate when it installs one (its `on_certificate_changed` hook)."""
    if hasattr(device, "on_certificate_changed"):
        device.on_certificate_changed = lambda pair: running.reload_certificate(
            DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)
        )


def _responder_for(host: str) -> AsyncZeroconf | None:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        log.warning("not announcing over mDNS: %s is not an IP address", host)
        return None
    if address.version != 4:
        log.warning("not announcing over mDNS: zeroconf cannot announce on IPv6 loopback %s", host)
        return None
    try:
        return AsyncZeroconf(interfaces=[host], ip_version=IPVersion.V4Only)
    except OSError as err:  # e.g. another responder holds UDP 5353 exclusively (some Windows setups)
        log.warning("not announcing over mDNS on %s: %s; add the devices by address instead", host, err)
        return None


@contextlib.asynccontextmanager
async def run_site(
    vendors: Sequence[VendorId],
    count: int,
    *,
    host: str = "127.0.0.1",
    seed: int = 1,
    clock: Clock | None = None,
    advertise: bool = True,
    ready: ReadyCallback | None = None,
    plugin_for: PluginLookup = _registry_lookup,
    first_index: int = 0,
    scenarios: Mapping[int, Sequence[str]] | None = None,
) -> AsyncIterator[SimulatedSite]:
    """Serve `count` simulators round-robin over `vendors` on `host`, announced over mDNS; stop all on exit.

    `ready(running)` is called as each device starts listening (and is announced). A device whose
    simulator cannot start is logged and left out (`site.failed` lists it); the others still run.
    Serial indexes start at `first_index`, so two sites side by side get different serials.
    `scenarios[i]` names the scenarios switched on in the i-th device (0-based, in start order) before it
    listens; a name that device does not know leaves it out, like any simulator that cannot start.
    """
    clock = clock or SystemClock()
    site = SimulatedSite(host, zeroconf=_responder_for(host) if advertise else None)
    slots = asyncio.Semaphore(START_CONCURRENCY)

    async def start_one(index: int, vendor: VendorId) -> None:
        async with slots:
            try:
                plugin = plugin_for(vendor)
                device = plugin.create_simulator(serial_index=index, seed=seed + index, clock=clock)
                for name in (scenarios or {}).get(index - first_index, ()):
                    device.scenarios.enable(name)
                await site.add(device, ready=ready)
            except Exception as err:  # one broken simulator must not take the whole site down
                log.exception("simulated %s device #%d failed to start", vendor, index)
                site.failed.append((vendor, f"{type(err).__name__}: {err}"))

    try:
        async with asyncio.TaskGroup() as group:
            for index, vendor in enumerate(vendor_mix(vendors, count)):
                group.create_task(start_one(first_index + index, vendor))
        yield site
    finally:
        await site.close()

