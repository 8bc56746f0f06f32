"""Proof that no password, token or passphrase reaches a log line, including httpx's and httpcore's own."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from app.backend.auth import ExpiringTokenSession, TokenRejected, TokenSession, basic_auth, digest_auth
from app.backend.credentials import CredentialStore, SiteCredential, try_credentials
from app.backend.logs import configure_logging, redact_text
from app.backend.redact import REDACTOR
from app.backend.session import pinned_client
from app.backend.transport import DeviceTransport
from app.core.clock import ManualClock
from app.core.models import Credentials
from app.sim.server import RunningDevice, serve_device
from tests.unit.backend.auth_servers import BasicServer, DigestServer, TokenServer
from tests.unit.backend.helpers import TinyDevice

BASIC_PASSWORD = "log-basic-Pa55"
DIGEST_PASSWORD = "log-digest-Pa55"
LOGIN_PASSWORD = "log-login-Pa55"
CLOUD_SECRET = "log-cloud-S3cret"
SITE_PASSWORDS = ("log-site-wrong-1", "log-site-wrong-2")
PASSPHRASE = "log-passphrase-long"


def _router(routes: dict[str, Any]) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        prefix = "/" + scope["path"].split("/")[1]
        await routes[prefix](scope, receive, send)

    return app


async def _run_every_login_flow(
    running: RunningDevice, token_server: TokenServer, clock: ManualClock, stack: AsyncExitStack
) -> None:
    certificate = running.certificate
    assert certificate is not None
    base = running.endpoint.base_url

    def transport(auth: Any = None) -> DeviceTransport:
        client = pinned_client(certificate.cert_der, auth=auth)
        stack.push_async_callback(client.aclose)
        return DeviceTransport(client, base)

    await transport(basic_auth("admin", BASIC_PASSWORD)).request("GET", "/basic")
    await transport(digest_auth("admin", DIGEST_PASSWORD)).request("GET", "/digest")

    plain = transport()

    async def login() -> str:
        body = {"username": "admin", "password": LOGIN_PASSWORD}
        response = await plain.request("POST", "/login", json=body)
        return str(response.json()["token"])

    async def read_with_query_token(token: str) -> int:
        response = await plain.request("GET", "/data", params={"token": token}, check_status=False)
        if response.status_code == 403:
            raise TokenRejected(code=403)
        return int(response.json()["value"])

    session = TokenSession(login)
    await session.call(read_with_query_token)
    token_server.revoke_all()
    await session.call(read_with_query_token)  # rejected, re-login, retry

    async def fetch() -> tuple[str, float]:
        response = await plain.request("POST", "/login", json={"username": "admin", "password": CLOUD_SECRET})
        return str(response.json()["token"]), clock.monotonic() + 3600.0

    cloud = ExpiringTokenSession(fetch, clock)
    await cloud.call(read_with_query_token)

    store = CredentialStore(passphrase=PASSPHRASE)
    site = [SiteCredential(f"Site {i}", "admin", password) for i, password in enumerate(SITE_PASSWORDS)]
    store.set_site_credentials(site)
    store.save_device_credentials("axis:LOG1", Credentials("admin", BASIC_PASSWORD))

    async def attempt(credentials: Credentials) -> None:
        await transport(basic_auth(credentials.username, credentials.password)).request("GET", "/basic")

    found = await try_credentials(reversed(store.candidates("axis:LOG1")), attempt)
    assert found == Credentials("admin", BASIC_PASSWORD)
    # A careless line that interpolates a secret directly must still come out redacted.
    logging.getLogger("app.vendors.example").warning("login as admin/%s failed", SITE_PASSWORDS[0])


async def test_no_secret_reaches_any_log_line(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    restore_logging: None,
) -> None:
    keyring.set_keyring(fail.Keyring())  # exercise the passphrase-encrypted store too
    log_file = configure_logging(logging.DEBUG, tmp_path / "logs" / "commissioner.log")
    caplog.set_level(logging.DEBUG)
    clock = ManualClock()
    token_server = TokenServer("admin", LOGIN_PASSWORD, clock)
    cloud_server = TokenServer("admin", CLOUD_SECRET, clock)
    cloud_server.valid = token_server.valid  # one token table: /login accepts either secret below
    routes = {
        "/basic": BasicServer("admin", BASIC_PASSWORD),
        "/digest": DigestServer("admin", DIGEST_PASSWORD),
        "/login": _TwoPasswordLogin(token_server, cloud_server),
        "/data": token_server,
    }
    async with serve_device(TinyDevice(_router(routes))) as running, AsyncExitStack() as stack:
        await _run_every_login_flow(running, token_server, clock, stack)

    secrets = [BASIC_PASSWORD, DIGEST_PASSWORD, LOGIN_PASSWORD, CLOUD_SECRET, PASSPHRASE, *SITE_PASSWORDS]
    secrets += token_server.issued + cloud_server.issued
    assert len(token_server.issued) == 2
    assert len(cloud_server.issued) == 1
    sinks = {
        "file": log_file.read_text(encoding="utf-8"),
        "stderr": capsys.readouterr().err,
        "records": "\n".join(r.getMessage() for r in caplog.records),
        "caplog": caplog.text,
    }
    for name, text in sinks.items():
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], f"{name} leaked {leaked}"
    # The flows really were logged, by our transport and by httpx/httpcore at DEBUG, only redacted.
    names = {r.name for r in caplog.records}
    assert {"httpx", "app.backend.transport"} <= names
    assert any(name.startswith("httpcore") for name in names)
    assert "token=%2A%2A%2A" in sinks["file"] or "token=***" in sinks["file"]
    assert "login as admin/*** failed" in sinks["file"]


class _TwoPasswordLogin:
    """Routes /login to the token server or the cloud server by the password sent."""

    def __init__(self, session: TokenServer, cloud: TokenServer) -> None:
        self.session, self.cloud = session, cloud

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        message = await receive()
        body += message.get("body", b"")
        target = self.cloud if CLOUD_SECRET.encode() in body else self.session

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        await target(scope, replay, send)


def test_redact_text_masks_url_parameters_user_info_and_auth_headers() -> None:
    line = (
        "GET https://root:pw-in-url@127.0.0.1/cgi?user=a&password=xyz1&token=abc "
        '"Authorization: Bearer eyJhbGc"'
    )
    redacted = redact_text(line)
    assert "pw-in-url" not in redacted
    assert "xyz1" not in redacted
    assert "abc" not in redacted
    assert "eyJhbGc" not in redacted
    assert "user=a" in redacted


def test_httpx_request_lines_are_left_to_the_transport_unless_debugging(
    tmp_path: Path, restore_logging: None
) -> None:
    configure_logging(logging.INFO, tmp_path / "info.log")
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("app.backend.transport").isEnabledFor(logging.INFO)
    configure_logging(logging.DEBUG, tmp_path / "debug.log")
    assert logging.getLogger("httpx").isEnabledFor(logging.DEBUG)


def test_log_arguments_are_redacted_as_values_before_formatting(
    tmp_path: Path, restore_logging: None
) -> None:
    quoted, accented, short = "lo'g\"pa\\ss", "lög-pässwört-密", "q9"
    for secret in (quoted, accented, short):
        REDACTOR.add(secret)
    log_file = configure_logging(logging.INFO, tmp_path / "logs" / "commissioner.log")
    log = logging.getLogger("app.vendors.example")
    log.warning("login as %r failed; body %s", quoted, {"user": "admin", "password": "never-registered"})
    log.warning("tried %s and %s", accented, short)
    log.warning("request %(body)s", {"body": {"pw": short, "note": "q9 stays in prose"}})
    text = log_file.read_text(encoding="utf-8")
    for leaked in (quoted, repr(quoted)[1:-1], accented, "never-registered", "'pw': 'q9'"):
        assert leaked not in text
    assert "login as '***' failed; body {'user': 'admin', 'password': '***'}" in text
    assert "tried *** and ***" in text
    assert "q9 stays in prose" in text
