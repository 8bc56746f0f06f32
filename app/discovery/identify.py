"""Identification: which vendor a record or address belongs to, and who the device is (one probe each)."""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from app.core.certificates import sha256_fingerprint
from app.core.errors import DeviceError
from app.core.models import DeviceCandidate, DeviceIdentity, DiscoveryRecord, Endpoint
from app.vendors.base import AnyPlugin

log = logging.getLogger(__name__)

#: Probes in flight at once: enough to identify a few hundred devices in about a second.
DEFAULT_CONCURRENCY = 32
PROBE_TIMEOUT = httpx.Timeout(3.0, connect=2.0)
#: A whole probe (connection, answer, body) ends within this many seconds, whatever the peer does.
PROBE_DEADLINE_S = 5.0
#: A probe holds one of the concurrency slots at most this long; a slower peer (a trickling or silent
#: one) goes on waiting without a slot, so it never keeps the other devices from being identified.
SLOT_BUDGET_S = 0.5


class DeviceNotRecognisedError(DeviceError):
    """No vendor plugin recognised the device at an address; `detail` has each plugin's reason."""


@dataclass(frozen=True, slots=True)
class Identification:
    """The outcome of identifying one device: the candidate, its plugin, and why it is not identified."""

    candidate: DeviceCandidate
    plugin: AnyPlugin | None
    reason: str = ""
    reachable: bool = True

    @property
    def identified(self) -> bool:
        """True when a vendor probe confirmed who the device is."""
        return self.candidate.identified


def _load_http_stack() -> None:
    """Import what the first HTTPS request would otherwise import on the event loop (hundreds of ms)."""
    import anyio.streams.tls  # noqa: F401
    import httpcore  # noqa: F401

    import app.backend.session  # noqa: F401


def make_probe_client(timeout: httpx.Timeout = PROBE_TIMEOUT) -> httpx.AsyncClient:
    """The unauthenticated identification client of app.backend.session (observing TLS, no credentials)."""
    from app.backend.session import probe_client

    return probe_client(timeout)


@dataclass(slots=True)
class _ProbeWitness:
    """What the responses of one probe showed: whether the device answered, and its certificate."""

    answered: bool = False
    fingerprint: str = ""


# The current probe's witness; httpx runs response hooks in the task that sent the request.
_WITNESS: contextvars.ContextVar[_ProbeWitness | None] = contextvars.ContextVar("probe_witness", default=None)


async def _observe_response(response: httpx.Response) -> None:
    """httpx response hook: note that the peer answered and the certificate it presented."""
    witness = _WITNESS.get()
    if witness is None:
        return
    witness.answered = True
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if der:
        witness.fingerprint = sha256_fingerprint(der)


def merge_identity(claimed: DeviceIdentity, probed: DeviceIdentity) -> DeviceIdentity:
    """The probed identity, with fields the probe left empty filled from what the record claimed."""
    return dataclasses.replace(
        probed,
        model=probed.model or claimed.model,
        serial=probed.serial or claimed.serial,
        firmware=probed.firmware or claimed.firmware,
        mac=probed.mac or claimed.mac,
        name=probed.name or claimed.name,
    )


class Identifier:
    """Turns discovery records and bare endpoints into identified candidates, a bounded number at a time."""

    def __init__(
        self,
        plugins: Sequence[AnyPlugin],
        *,
        http_factory: Callable[[], httpx.AsyncClient] = make_probe_client,
        concurrency: int = DEFAULT_CONCURRENCY,
        probe_deadline: float | None = None,
        slot_budget: float | None = None,
    ) -> None:
        self._plugins = tuple(plugins)
        self._http_factory = http_factory
        self._http: httpx.AsyncClient | None = None
        self._slots = asyncio.Semaphore(concurrency)
        self._probe_deadline = PROBE_DEADLINE_S if probe_deadline is None else probe_deadline
        self._slot_budget = SLOT_BUDGET_S if slot_budget is None else slot_budget

    @property
    def plugins(self) -> tuple[AnyPlugin, ...]:
        """The vendor plugins tried, in order."""
        return self._plugins

    async def prepare(self) -> None:
        """Load the HTTP stack in a worker thread and open the probe client, so the first probe is quick."""
        if self._http is None:
            await asyncio.to_thread(_load_http_stack)
            self._client()

    async def aclose(self) -> None:
        """Close the probe client (a later probe opens a new one)."""
        if self._http is not None:
            http, self._http = self._http, None
            await http.aclose()

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = self._http_factory()
            self._http.event_hooks["response"].append(_observe_response)
            # One probe per device: keeping hundreds of idle TLS connections open helps nobody.
            self._http.headers["Connection"] = "close"
        return self._http

    def claim(self, record: DiscoveryRecord) -> tuple[AnyPlugin, DeviceCandidate] | None:
        """The first plugin whose `match` claims the record, with its candidate; None if nobody does."""
        for plugin in self._plugins:
            candidate = plugin.match(record)
            if candidate is not None:
                return plugin, dataclasses.replace(candidate, identified=False, record=record)
        return None

    async def identify_candidate(self, plugin: AnyPlugin, candidate: DeviceCandidate) -> Identification:
        """Probe the candidate's endpoint with its plugin; the claimed identity is kept if the probe fails."""
        probed, reason, witness = await self._probe(plugin, candidate.endpoint)
        if probed is None:
            unidentified = dataclasses.replace(
                candidate, identified=False, certificate_fingerprint=witness.fingerprint
            )
            return Identification(unidentified, plugin, reason, reachable=witness.answered)
        identity = merge_identity(candidate.identity, probed)
        identified = dataclasses.replace(
            candidate, identity=identity, identified=True, certificate_fingerprint=witness.fingerprint
        )
        return Identification(identified, plugin)

    async def identify_endpoint(
        self, endpoint: Endpoint, plugins: Sequence[AnyPlugin] | None = None
    ) -> Identification:
        """Try each plugin's probe on a bare endpoint (manual add, scan); the first that recognises it wins.

        Each plugin probes with its own default scheme. Raises DeviceNotRecognisedError with every
        plugin's reason when none recognises the device.
        """
        reasons: list[str] = []
        silent_schemes: set[str] = set()
        for plugin in plugins if plugins is not None else self._plugins:
            if plugin.default_scheme in silent_schemes:
                continue
            probe_at = dataclasses.replace(endpoint, scheme=plugin.default_scheme)
            claimed = DeviceIdentity(vendor=plugin.vendor_id, model="")
            probe = DeviceCandidate(endpoint=probe_at, identity=claimed)
            result = await self.identify_candidate(plugin, probe)
            if result.identified:
                return result
            reasons.append(f"{plugin.display_name}: {result.reason}")
            if not result.reachable:
                silent_schemes.add(plugin.default_scheme)
        raise DeviceNotRecognisedError(
            f"{endpoint.host}:{endpoint.port} was not recognised as any supported device.",
            detail="; ".join(reasons),
        )

    async def _probe(
        self, plugin: AnyPlugin, endpoint: Endpoint
    ) -> tuple[DeviceIdentity | None, str, _ProbeWitness]:
        witness = _ProbeWitness()
        token = _WITNESS.set(witness)
        try:
            identity = await self._bounded_probe(plugin, endpoint)
        except (TimeoutError, httpx.TimeoutException):
            return None, f"no complete answer from {endpoint} in time", witness
        except httpx.HTTPError as err:
            return None, f"{endpoint} cannot be reached ({type(err).__name__})", witness
        except DeviceError as err:
            return None, err.message, witness
        finally:
            _WITNESS.reset(token)
        if identity is None:
            if not witness.answered:
                return None, f"no answer from {endpoint}", witness
            return None, f"{endpoint} did not answer like a {plugin.display_name}", witness
        return identity, "", witness

    async def _bounded_probe(self, plugin: AnyPlugin, endpoint: Endpoint) -> DeviceIdentity | None:
        """The plugin's probe, ended at the probe deadline; it gives its slot back after the slot budget."""
        probe: asyncio.Task[DeviceIdentity | None] | None = None
        try:
            async with asyncio.timeout(self._probe_deadline):
                async with self._slots:
                    probe = asyncio.ensure_future(plugin.identify(self._client(), endpoint))
                    await asyncio.wait({probe}, timeout=self._slot_budget)
                return await probe
        finally:
            if probe is not None and not probe.done():
                probe.cancel()
