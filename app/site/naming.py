"""How the site names a device: its label in questions, its provisional key, the cloud as a device."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.core.errors import CleartextRefusedError, ConfigurationError
from app.core.models import DeviceIdentity, Endpoint, Scheme
from app.vendors.registry import cloud_service


def device_label(identity: DeviceIdentity, endpoint: Endpoint) -> str:
    """"Axis P3818-PVE (ACCC8E012345) at 127.0.0.1:8443" — how questions name a device."""
    serial = f"({identity.serial})" if identity.serial else ""
    name = " ".join(part for part in (identity.model, serial) if part)
    return f"{name or identity.vendor} at {endpoint.host}:{endpoint.port}"


def host_port(endpoint: Endpoint) -> str:
    """host:port where the device answers, an IPv6 literal bracketed."""
    host = f"[{endpoint.host}]" if ":" in endpoint.host else endpoint.host
    return f"{host}:{endpoint.port}"


def endpoint_from_url(url: str) -> Endpoint:
    """The Endpoint of an http(s) URL; raises ConfigurationError when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(f"{url!r} is not an https:// address.")
    scheme: Scheme = "https" if parts.scheme == "https" else "http"
    return Endpoint(parts.hostname, parts.port or (443 if scheme == "https" else 80), scheme)


def cloud_endpoint(url: str) -> Endpoint:
    """The cloud service's https Endpoint; an http:// address is refused (the secret would go in clear)."""
    endpoint = endpoint_from_url(url)
    if endpoint.scheme != "https":
        raise CleartextRefusedError(
            f"{url.strip()} is a plain-HTTP address: the cloud account's secret is only sent over https. "
            "Enter the service's https:// address."
        )
    return endpoint


def cloud_address_problem(url: str) -> str:
    """Why `url` cannot be the cloud service's address, as the technician reads it; "" when it can."""
    try:
        cloud_endpoint(url)
    except (CleartextRefusedError, ConfigurationError) as err:
        return str(err)
    return ""


def cloud_key(url: str) -> str:
    """The identity key the cloud account at `url` is trusted and remembered under."""
    return cloud_identity(endpoint_from_url(url)).key


def cloud_identity(endpoint: Endpoint) -> DeviceIdentity:
    """The registered cloud service at `endpoint` as a device of the list (its plugin names it)."""
    return cloud_service().service_identity(endpoint)


def same_device(expected: DeviceIdentity, found: DeviceIdentity) -> bool:
    """True when `found` (read after login) is `expected`: same vendor; serial and MAC agree where known."""
    if expected.vendor != found.vendor:
        return False
    checks = []
    if expected.serial and found.serial:
        checks.append(_normal(expected.serial) == _normal(found.serial))
    if expected.mac and found.mac:
        checks.append(_normal(expected.mac, ":-") == _normal(found.mac, ":-"))
    return bool(checks) and all(checks)


def _normal(text: str, separators: str = "") -> str:
    """`text` upper-cased without spaces (and `separators`): how one firmware writes what another reads."""
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch not in separators)
