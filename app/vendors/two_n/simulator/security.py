"""Per-service security of the simulated intercom: enable, connection type and auth method (§3, §4)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import random
import re
from dataclasses import dataclass, field

from app.vendors.two_n.endpoints import ALL_PRIVILEGES, Service

REALM = "HTTP API"
_DIGEST_FIELD = re.compile(r'(\w+)=(?:"([^"]*)"|([^,\s]*))')


@dataclass(slots=True)
class ServiceSettings:
    """Services / HTTP API row: enabled, "http" (HTTP and HTTPS) or "https" only, and none/basic/digest."""

    enabled: bool = True
    connection: str = "https"
    auth: str = "digest"


@dataclass(frozen=True, slots=True)
class Account:
    """One of up to five HTTP API accounts with its privileges (e.g. "system.control")."""

    username: str
    password: str
    privileges: frozenset[str] = ALL_PRIVILEGES


def default_services() -> dict[Service, ServiceSettings]:
    """The document's Services / HTTP API screenshot (§3): TLS + Digest, Camera without auth, Logging open."""
    services = {service: ServiceSettings() for service in Service}
    services[Service.CAMERA] = ServiceSettings(auth="none")
    services[Service.LOGGING] = ServiceSettings(connection="http", auth="none")
    return services


@dataclass(slots=True)
class SecurityCheck:
    """Outcome of checking one request: an error code (0 = allowed) and the account when one was used."""

    code: int = 0
    account: Account | None = None
    challenge: str = ""


@dataclass(slots=True)
class Authenticator:
    """Checks Basic and Digest (RFC 2617, MD5, qop=auth) credentials against the accounts."""

    accounts: list[Account]
    rng: random.Random
    nonces: set[str] = field(default_factory=set)

    def challenge(self, method: str) -> str:
        """The WWW-Authenticate header value for a service using `method`."""
        if method == "basic":
            return f'Basic realm="{REALM}"'
        nonce = f"{self.rng.getrandbits(128):032x}"
        self.nonces.add(nonce)
        return f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", algorithm=MD5'

    def check(self, method: str, header: str, http_method: str, uri: str) -> SecurityCheck:
        """Validate an Authorization header for a service whose auth method is `method` (§3)."""
        scheme = header.split(" ", 1)[0].lower()
        if not header:
            return SecurityCheck(9, challenge=self.challenge(method))
        if scheme != method:
            # §2.3 code 8: e.g. Basic sent to a Digest-only service.
            return SecurityCheck(8)
        account = self._basic(header) if method == "basic" else self._digest(header, http_method, uri)
        if account is None:
            return SecurityCheck(9, challenge=self.challenge(method))
        return SecurityCheck(0, account)

    def _basic(self, header: str) -> Account | None:
        try:
            decoded = base64.b64decode(header.split(" ", 1)[1]).decode()
        except (IndexError, binascii.Error, UnicodeDecodeError):
            return None
        username, _, password = decoded.partition(":")
        return next((a for a in self.accounts if a.username == username and a.password == password), None)

    def _digest(self, header: str, http_method: str, uri: str) -> Account | None:
        fields = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _DIGEST_FIELD.finditer(header.split(" ", 1)[-1])}
        account = next((a for a in self.accounts if a.username == fields.get("username")), None)
        if account is None or fields.get("nonce") not in self.nonces or fields.get("uri") != uri:
            return None
        ha1 = _md5(f"{account.username}:{REALM}:{account.password}")
        ha2 = _md5(f"{http_method}:{uri}")
        if fields.get("qop") == "auth":
            counter, cnonce = fields.get("nc", ""), fields.get("cnonce", "")
            expected = _md5(f"{ha1}:{fields['nonce']}:{counter}:{cnonce}:auth:{ha2}")
        else:
            expected = _md5(f"{ha1}:{fields['nonce']}:{ha2}")
        return account if fields.get("response") == expected else None


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
