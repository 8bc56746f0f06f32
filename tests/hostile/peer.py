"""A hostile peer: a real loopback HTTP(S) server that answers as a broken or malicious device would."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import gzip
import socket
import ssl
import struct
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.sim.certs import DeviceCertificate, make_self_signed

#: The body of every request is not awaited: the peer answers as soon as it has the request head.
_HEAD_LIMIT = 64 * 1024
#: How long a closing connection may wait for the client's side of the TLS close before it is aborted.
CLOSE_GRACE_S = 1.0
_FAST_CHUNK = b"A" * 65536


class Behaviour(enum.Enum):
    """How the peer answers every request (except the paths it answers honestly)."""

    MALFORMED_JSON = "malformed-json"
    NOT_UTF8 = "not-utf8"
    DEEP_NESTING = "deep-nesting"
    NAN_AND_INFINITY = "nan-infinity"
    HUGE_INTEGER = "huge-integer"
    WRONG_TYPES = "wrong-types"
    OVERSIZED = "oversized"
    ENDLESS = "endless"
    TRICKLE = "trickle"
    SILENT = "silent"
    TRUNCATED = "truncated"
    RESET = "reset"
    REDIRECT = "redirect"
    BAD_GZIP = "bad-gzip"
    GZIP_BOMB = "gzip-bomb"
    ENDLESS_AUTH_CHALLENGE = "endless-401"
    HEADER_FLOOD = "header-flood"


#: Behaviours whose answer is complete and well framed, only its content is wrong.
ODD_CONTENT = frozenset({
    Behaviour.MALFORMED_JSON, Behaviour.NOT_UTF8, Behaviour.DEEP_NESTING, Behaviour.NAN_AND_INFINITY,
    Behaviour.HUGE_INTEGER, Behaviour.WRONG_TYPES,
})
#: Behaviours whose answer is larger than any cap: the client must stop reading.
OVER_THE_CAP = frozenset({Behaviour.OVERSIZED, Behaviour.ENDLESS, Behaviour.GZIP_BOMB})


@dataclass(frozen=True, slots=True)
class Honest:
    """A well-formed answer for one path (lets a client get past its login to the call under test)."""

    body: bytes
    status: int = 200
    content_type: str = "application/json"


@dataclass
class HostilePeer:
    """Serves `behaviour` on 127.0.0.1 (TLS with a self-signed certificate unless `tls` is false).

    `honest` maps request paths to well-formed answers. `bytes_sent` counts body bytes the peer
    managed to write: an upper bound of what any client read.
    """

    behaviour: Behaviour
    tls: bool = True
    honest: Mapping[str, Honest] = field(default_factory=dict)
    trickle_interval: float = 0.2
    bytes_sent: int = 0
    paths: list[str] = field(default_factory=list)
    certificate: DeviceCertificate | None = None
    _server: asyncio.Server | None = None
    _handlers: set[asyncio.Task[None]] = field(default_factory=set)

    #: The port it listens on (set by start()).
    port: int = 0

    @property
    def scheme(self) -> str:
        """"https" when the peer speaks TLS."""
        return "https" if self.tls else "http"

    async def start(self) -> HostilePeer:
        """Listen on an ephemeral loopback port."""
        context = self._ssl_context() if self.tls else None
        self._server = await asyncio.start_server(self._track, "127.0.0.1", 0, ssl=context)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        """Stop listening and end every connection."""
        if self._server is not None:
            self._server.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(2):
                    await self._server.wait_closed()

    async def __aenter__(self) -> HostilePeer:
        return await self.start()

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    def _ssl_context(self) -> ssl.SSLContext:
        self.certificate = self.certificate or make_self_signed("hostile-peer")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as folder:
            cert_path, key_path = self.certificate.write(Path(folder), "peer")
            context.load_cert_chain(cert_path, key_path)
        return context

    async def _track(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._serve(reader, writer)
        except (ConnectionError, ssl.SSLError, OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client hung up, or the peer is stopping: both are normal here
        finally:
            self._handlers.discard(task)
            await _hang_up(writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await _read_head(reader)
        path = _path_of(head)
        self.paths.append(path)
        answer = self.honest.get(path)
        if answer is not None:
            await self._send(writer, _response(answer.status, answer.body, answer.content_type))
            return
        await BEHAVIOURS[self.behaviour](self, writer)

    async def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        writer.write(data)
        await writer.drain()
        self.bytes_sent += len(data)

    async def _stream_forever(self, writer: asyncio.StreamWriter, head: bytes, chunk: bytes) -> None:
        await self._send(writer, head)
        while True:
            await self._send(writer, chunk)


async def _hang_up(writer: asyncio.StreamWriter) -> None:
    """Close the connection; a TLS close the client never answers (it hung up mid-flood) is cut short, so
    no transport outlives the peer and surfaces later as an unclosed-transport warning."""
    writer.close()
    try:
        async with asyncio.timeout(CLOSE_GRACE_S):
            await writer.wait_closed()
    except (TimeoutError, ConnectionError, ssl.SSLError, OSError):
        writer.transport.abort()
    except asyncio.CancelledError:
        writer.transport.abort()
        raise


async def _read_head(reader: asyncio.StreamReader) -> bytes:
    """The request head (or whatever the client sent first, e.g. a TLS hello to a plain peer)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < _HEAD_LIMIT:
        chunk = await reader.read(4096)
        if not chunk:
            break
        data += chunk
        if not data.startswith((b"GET", b"POST", b"PUT", b"DELETE", b"HEAD", b"PATCH", b"OPTIONS")):
            break
    return data


def _path_of(head: bytes) -> str:
    parts = head.split(b" ", 2)
    if len(parts) < 2:
        return ""
    return parts[1].decode("latin-1").split("?", 1)[0]


def _response(status: int, body: bytes, content_type: str = "application/json", **extra: str) -> bytes:
    headers = {"Content-Type": content_type, "Content-Length": str(len(body)), "Connection": "close", **extra}
    return _head(status, headers) + body


def _head(status: int, headers: Mapping[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} Whatever"] + [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


Answer = Callable[["HostilePeer", asyncio.StreamWriter], Awaitable[None]]


@functools.cache
def _gzip_bomb_body() -> bytes:
    """64 MiB of zeros, gzipped to about 64 KiB."""
    return gzip.compress(b"\0" * (64 << 20), compresslevel=9)


async def _json(peer: HostilePeer, writer: asyncio.StreamWriter, body: bytes) -> None:
    await peer._send(writer, _response(200, body))


async def _oversized(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": str(400 << 20)}
    await peer._stream_forever(writer, _head(200, headers), _FAST_CHUNK)


async def _endless(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    await peer._stream_forever(writer, _head(200, headers), _chunk(_FAST_CHUNK))


async def _endless_challenge(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    headers = {
        "WWW-Authenticate": 'Digest realm="hostile", nonce="6d6f7265", qop="auth", algorithm=MD5',
        "Content-Type": "text/html", "Transfer-Encoding": "chunked",
    }
    await peer._stream_forever(writer, _head(401, headers), _chunk(_FAST_CHUNK))


async def _trickle(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    answer = _response(200, b'{"data": {}, "success": true}' + b" " * 4096)
    for index in range(len(answer)):
        await peer._send(writer, answer[index : index + 1])
        await asyncio.sleep(peer.trickle_interval)


async def _silent(_peer: HostilePeer, _writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(3600)


async def _truncated(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": "5000"}
    await peer._send(writer, _head(200, headers) + b'{"success": true, "res')


async def _reset(_peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    raw = writer.get_extra_info("socket")
    if isinstance(raw, socket.socket):
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport = writer.transport
    transport.abort()


async def _redirect(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    await peer._send(writer, _response(302, b"", Location="http://127.0.0.1:9/elsewhere"))


async def _bad_gzip(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    body = b"\x1f\x8b\x08\x00not gzip at all"
    await peer._send(writer, _response(200, body, **{"Content-Encoding": "gzip"}))


async def _gzip_bomb(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    await peer._send(writer, _response(200, _gzip_bomb_body(), **{"Content-Encoding": "gzip"}))


async def _header_flood(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
    await peer._stream_forever(writer, b"HTTP/1.1 200 OK\r\n", b"X-Flood: " + b"F" * 1000 + b"\r\n")


def _fixed(body: bytes) -> Answer:
    async def answer(peer: HostilePeer, writer: asyncio.StreamWriter) -> None:
        await _json(peer, writer, body)

    return answer


BEHAVIOURS: dict[Behaviour, Answer] = {
    Behaviour.MALFORMED_JSON: _fixed(b'{"success": true, "result": {"variant": "2N'),
    Behaviour.NOT_UTF8: _fixed(b'{"success": true, "result": {"variant": "\xff\xfe\xfa"}}'),
    Behaviour.DEEP_NESTING: _fixed(b'{"success": true, "result": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
    Behaviour.NAN_AND_INFINITY: _fixed(
        b'{"success": true, "errorCode": NaN, "result": {"systemTime": Infinity, "upTime": -Infinity}}'
    ),
    Behaviour.HUGE_INTEGER: _fixed(
        b'{"success": true, "errorCode": 0, "result": {"systemTime": ' + b"9" * 6000 + b', "upTime": 1}}'
    ),
    Behaviour.WRONG_TYPES: _fixed(b'[["success", true], {"result": "none"}, 3]'),
    Behaviour.OVERSIZED: _oversized,
    Behaviour.ENDLESS: _endless,
    Behaviour.TRICKLE: _trickle,
    Behaviour.SILENT: _silent,
    Behaviour.TRUNCATED: _truncated,
    Behaviour.RESET: _reset,
    Behaviour.REDIRECT: _redirect,
    Behaviour.BAD_GZIP: _bad_gzip,
    Behaviour.GZIP_BOMB: _gzip_bomb,
    Behaviour.ENDLESS_AUTH_CHALLENGE: _endless_challenge,
    Behaviour.HEADER_FLOOD: _header_flood,
}
