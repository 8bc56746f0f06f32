"""Serve one simulated device as a real HTTP(S) server on a loopback port."""

from __future__ import annotations

import contextlib
import logging
import socket
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from app.core.certificates import sha256_fingerprint
from app.core.models import Endpoint
from app.sim.certs import DeviceCertificate, make_self_signed
from app.vendors.base import SimulatedDevice


@dataclass(slots=True)
class RunningDevice:
    """A simulator listening on loopback: where, with which certificate."""

    device: SimulatedDevice
    endpoint: Endpoint
    certificate: DeviceCertificate | None
    server: uvicorn.Server

    @property
    def fingerprint(self) -> str:
        """SHA-256 fingerprint of the certificate served, or "" over plain HTTP."""
        return sha256_fingerprint(self.certificate.cert_der) if self.certificate else ""

    def reload_certificate(self, certificate: DeviceCertificate) -> None:
        """Serve `certificate` on new connections from now on (a device that got a new certificate)."""
        context = self.server.config.ssl
        if context is None:
            raise RuntimeError("plain-HTTP simulator has no certificate")
        with tempfile.TemporaryDirectory() as tmp:
            cert_path, key_path = certificate.write(Path(tmp), "device")
            context.load_cert_chain(str(cert_path), str(key_path))
        self.certificate = certificate


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit it: without it, Nagle holds a small response body behind its headers
    # until the client's delayed ACK (~40 ms on every small JSON answer).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


@contextlib.asynccontextmanager
async def serve_device(
    device: SimulatedDevice,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    certificate: DeviceCertificate | None = None,
) -> AsyncIterator[RunningDevice]:
    """Run `device` on host:port (0 picks a free port) until the context exits.

    HTTPS with the given certificate, or a fresh self-signed one, unless the device's info says http.
    """
    use_tls = device.info.scheme == "https"
    if use_tls and certificate is None:
        certificate = make_self_signed(
            f"{device.info.model} {device.info.serial}", organization=device.info.vendor, hosts=(host,)
        )
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        ssl_args: dict[str, str] = {}
        if use_tls and certificate is not None:
            cert_path, key_path = certificate.write(Path(tmp), "device")
            ssl_args = {"ssl_certfile": str(cert_path), "ssl_keyfile": str(key_path)}
        config = uvicorn.Config(
            device, log_level=logging.WARNING, access_log=False, lifespan="off",
            timeout_keep_alive=30, **ssl_args,  # type: ignore[arg-type]
        )
        config.load()
    server = uvicorn.Server(config)
    # Server.serve() would install process signal handlers per server; with hundreds of devices in
    # one loop we drive startup/shutdown ourselves (lifespan is off, so this is uvicorn's no-op one).
    server.lifespan = config.lifespan_class(config)
    await server.startup(sockets=[sock])
    running = RunningDevice(device, Endpoint(host, bound_port, device.info.scheme), certificate, server)
    try:
        await device.start()
        try:
            yield running
        finally:
            await device.stop()
    finally:
        server.should_exit = True
        await server.shutdown(sockets=[sock])
        sock.close()


