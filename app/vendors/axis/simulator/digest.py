"""Server side of HTTP Digest (RFC 7616, MD5 and SHA-256, qop=auth) and Basic, as Axis devices answer them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import random
import re
from dataclasses import dataclass, field

from app.core.clock import Clock

NONCE_LIFETIME_S = 300.0
_PARAM = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')


def _hash(algorithm: str, text: str) -> str:
    name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"
    return hashlib.new(name, text.encode()).hexdigest()


@dataclass(slots=True)
class HttpAuthenticator:
    """Checks Authorization headers for one user; issues challenges (Digest, or Basic only)."""

    username: str
    password: str
    realm: str
    clock: Clock
    rng: random.Random
    basic_only: bool = False
    _nonces: dict[str, float] = field(default_factory=dict)

    def challenge(self, *, stale: bool = False) -> str:
        """A WWW-Authenticate value with a fresh nonce (Digest) or the Basic realm."""
        if self.basic_only:
            return f'Basic realm="{self.realm}"'
        nonce = f"{self.rng.getrandbits(128):032x}"
        self._nonces[nonce] = self.clock.monotonic()
        stale_text = ", stale=true" if stale else ""
        return f'Digest realm="{self.realm}", nonce="{nonce}", algorithm=MD5, qop="auth"{stale_text}'

    def check(self, method: str, authorization: str) -> str:
        """ "ok", "stale" (valid answer to an expired nonce) or "denied"."""
        scheme, _, rest = authorization.partition(" ")
        if scheme.lower() == "basic":
            return "ok" if self._check_basic(rest) else "denied"
        if scheme.lower() == "digest" and not self.basic_only:
            return self._check_digest(method, rest)
        return "denied"

    def _check_basic(self, token: str) -> bool:
        try:
            user, _, password = base64.b64decode(token.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(user, self.username) and hmac.compare_digest(password, self.password)

    def _check_digest(self, method: str, text: str) -> str:
        params = {
            m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _PARAM.finditer(text)
        }
        nonce = params.get("nonce", "")
        if (
            params.get("username") != self.username
            or params.get("realm") != self.realm
            or nonce not in self._nonces
        ):
            return "denied"
        algorithm = params.get("algorithm", "MD5")
        ha1 = _hash(algorithm, f"{self.username}:{self.realm}:{self.password}")
        ha2 = _hash(algorithm, f"{method}:{params.get('uri', '')}")
        if params.get("qop"):
            expected = _hash(
                algorithm,
                f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:{params['qop']}:{ha2}",
            )
        else:
            expected = _hash(algorithm, f"{ha1}:{nonce}:{ha2}")
        if not hmac.compare_digest(expected, params.get("response", "")):
            return "denied"
        if self.clock.monotonic() - self._nonces[nonce] > NONCE_LIFETIME_S:
            del self._nonces[nonce]
            return "stale"
        return "ok"
