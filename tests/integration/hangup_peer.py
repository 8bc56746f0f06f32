"""A loopback peer that stalls a client at a chosen point and tells when the client closed its connection."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import ssl
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.sim.certs import make_self_signed

#: How long a test waits for the client's hang-up before it fails (a bound, never a measured figure).
HANGUP_WAIT_S = 10.0


@dataclass
class HangupPeer:
    """Listens on 127.0.0.1; `stall` is "handshake" (reads the TLS hello, never answers) or "body" (TLS,
    answers a head announcing 1000 bytes and sends one). `stalled` is set once a client is held there;
    `hung_up` once every client it held closed its connection."""

    stall: str
    port: int = 0
    stalled: asyncio.Event = field(default_factory=asyncio.Event)
    hung_up: asyncio.Event = field(default_factory=asyncio.Event)
    _open: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """The peer's base URL."""
        return f"https://127.0.0.1:{self.port}"

    async def __aenter__(self) -> HangupPeer:
        context = None if self.stall == "handshake" else _server_context()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=context)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2):
                await self._server.wait_closed()

    async def wait_hung_up(self) -> None:
        """Return once the client closed what it opened; fail after HANGUP_WAIT_S."""
        async with asyncio.timeout(HANGUP_WAIT_S):
            await self.hung_up.wait()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open += 1
        try:
            if self.stall == "handshake":
                await reader.read(1)  # the client's hello has arrived; it never hears back
            else:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/plain\r\n\r\nx")
                await writer.drain()
            self.stalled.set()
            while await reader.read(4096):
                pass  # until the client closes its end
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            self._open -= 1
            if self._open == 0:
                self.hung_up.set()


def _server_context() -> ssl.SSLContext:
    certificate = make_self_signed("hangup-peer")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert_path, key_path = certificate.write(Path(folder), "peer")
        context.load_cert_chain(cert_path, key_path)
    return context


@contextlib.contextmanager
def unclosed_resources() -> Iterator[list[str]]:
    """Collects the ResourceWarnings ("unclosed <socket…", "unclosed transport") raised while inside,
    including by a full collection at the end: the list names every resource left to the collector."""
    found: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("always", ResourceWarning)
        previous = warnings.showwarning

        def record(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
            if issubclass(category, ResourceWarning):
                found.append(str(message))
            else:
                previous(message, category, *args, **kwargs)  # type: ignore[arg-type]

        warnings.showwarning = record
        try:
            yield found
            gc.collect()
        finally:
            warnings.showwarning = previous
