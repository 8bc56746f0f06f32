"""Signing in to the Hik-Partner Pro cloud account: https only, CA-verified or pinned, then the API key."""

from __future__ import annotations

import httpx

from app.backend.connections import device_http
from app.backend.credentials import CredentialStore
from app.backend.tls import ca_ssl_context
from app.backend.trust import handshake_verifies
from app.core.errors import ConfigurationError
from app.core.models import Credentials, DeviceCandidate, Endpoint
from app.core.progress import ProgressReporter
from app.site.certificate_step import CertificateStep
from app.site.connection import OPEN_STAGES
from app.site.connector import SiteConnector
from app.site.login import login_with
from app.site.naming import cloud_endpoint, cloud_identity, cloud_key
from app.site.opened import OpenedDevice


async def open_cloud(
    site: SiteConnector, url: str, credentials: Credentials, reporter: ProgressReporter
) -> OpenedDevice | None:
    """A logged-in Hik-Partner Pro client, or None when the technician declined its certificate.

    Raises CleartextRefusedError for an http:// address: the account's secret never travels in clear.
    """
    endpoint = cloud_endpoint(url)
    identity = cloud_identity(endpoint)
    reporter.stage(OPEN_STAGES[0])
    # A pinned service is checked against its pin only: a CA (the user's bundle included) never overrides it.
    pinned = site.trust.entry(identity.key) is not None
    http = None if pinned else await _ca_verified_http(site, endpoint)
    if http is None:
        step = CertificateStep(site)
        http = await step.open(endpoint, identity.key, identity.name or str(endpoint))
    if http is None:
        return None
    try:
        reporter.stage(OPEN_STAGES[1])
        client = await login_with(http, DeviceCandidate(endpoint, identity, identified=True), credentials)
    except BaseException:
        await http.aclose()
        raise
    site.record(identity.key, "Logged in", "done")
    return OpenedDevice(identity, endpoint, client, http)


def remembered_secret(store: CredentialStore, url: str) -> str:
    """The secret remembered for the cloud account at `url`; "" when none, or `url` is not an address."""
    try:
        remembered = store.device_credentials(cloud_key(url))
    except ConfigurationError:
        return ""
    return remembered.password if remembered else ""


def remember_secret(store: CredentialStore, url: str, credentials: Credentials) -> None:
    """Keep the account's API key and secret under the key the service's certificate is pinned to."""
    store.save_device_credentials(cloud_key(url), credentials)


async def _ca_verified_http(site: SiteConnector, endpoint: Endpoint) -> httpx.AsyncClient | None:
    """A client verified by the system CAs (and the CA bundle), or None when the chain does not verify."""
    context = ca_ssl_context(site.trust.ca_bundle)
    if not await handshake_verifies(endpoint, context):
        return None
    return device_http(verify=context, base_url=endpoint.base_url)

