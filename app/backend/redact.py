"""Removes secrets from anything that may reach a log line."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SECRET_KEYS = frozenset(
    {
        "password", "pass", "pwd", "passwd", "newpassword", "oldpassword", "secret", "secretkey",
        "appsecret", "token", "accesstoken", "access_token", "refreshtoken", "apikey", "api_key",
        "authorization", "key", "privatekey", "passphrase", "validatecode", "verificationcode",
    }
)
_HEADER_SECRETS = frozenset({"authorization", "cookie", "set-cookie", "x-auth-token", "token"})
REDACTED = "***"
#: Session tokens remembered for redaction (the newest ones; older tokens are long expired).
EPHEMERAL_KEPT = 64


def is_secret_key(name: str) -> bool:
    """True when a parameter or field name usually carries a secret."""
    return name.replace("-", "").replace("_", "").lower() in {k.replace("_", "") for k in SECRET_KEYS}


def redact_url(url: str) -> str:
    """The URL with user info and secret query values replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = urlencode(
        [(k, REDACTED if is_secret_key(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
        safe="*",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Header pairs with authorization, cookies and tokens replaced by ***."""
    return [(k, REDACTED if k.lower() in _HEADER_SECRETS else v) for k, v in headers]


class SecretRedactor:
    """Replaces known secret strings (passwords, tokens seen at run time) in free text.

    Passwords and keys are kept for the whole run; session tokens (`ephemeral`) only the newest
    EPHEMERAL_KEPT of them, so a long session with many re-logins keeps redaction cheap.
    """

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._ephemeral: OrderedDict[str, None] = OrderedDict()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, secret: str, *, ephemeral: bool = False) -> None:
        """Remember a secret so it is masked wherever it appears later (shorter than 3 chars: ignored)."""
        if len(secret) < 3 or secret in self._secrets or secret in self._ephemeral:
            return
        with self._lock:
            if ephemeral:
                self._ephemeral[secret] = None
                while len(self._ephemeral) > EPHEMERAL_KEPT:
                    self._ephemeral.popitem(last=False)
            else:
                self._secrets.add(secret)
            # Longest first, so a secret containing another is masked whole.
            ordered = sorted(self._secrets.union(self._ephemeral), key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))

    def redact(self, text: str) -> str:
        """`text` with every remembered secret, and any Bearer/Basic/Digest credential, replaced by ***."""
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        return _BEARER.sub(r"\1" + REDACTED, text)


_BEARER = re.compile(r"((?:Bearer|Basic|Digest)\s+)[^\s,]+", re.IGNORECASE)

#: One process-wide redactor: the credential store and token sessions add to it.
REDACTOR = SecretRedactor()
