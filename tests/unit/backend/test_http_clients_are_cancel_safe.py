"""Every httpx client the app makes comes from connections.device_http, whose pool closes the socket of a
request cancelled mid-handshake: a module building its own client or transport would bring the leak back."""

from __future__ import annotations

import re
from pathlib import Path

from app.backend import connections
from app.backend.session import pinned_client, probe_client
from app.sim.certs import make_self_signed

APP = Path(connections.__file__).resolve().parents[1]
OWN_CLIENT = re.compile(r"httpx\.(AsyncClient|AsyncHTTPTransport)\(")


def test_no_app_module_but_connections_builds_an_httpx_client_or_transport() -> None:
    builders = sorted(
        str(path.relative_to(APP)) for path in APP.rglob("*.py") if OWN_CLIENT.search(path.read_text("utf-8"))
    )
    assert builders == ["backend/connections.py"]


async def test_the_device_clients_send_through_the_cancel_safe_transport() -> None:
    certificate = make_self_signed("pinned")
    for client in (probe_client(), pinned_client(certificate.cert_der)):
        async with client:
            assert isinstance(client._transport, connections.CancelSafeTransport)  # no public name
            assert client.follow_redirects is False
            assert client.trust_env is False
