"""Removes secrets from anything that may reach a log line."""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

SECRET_KEYS = frozenset(
    {
        "password", "pass", "pwd", "passwd", "newpassword", "oldpassword", "secret", "secretkey",
        "appsecret", "token", "accesstoken", "access_token", "refreshtoken", "apikey", "api_key",
        "authorization", "key", "privatekey", "passphrase", "validatecode", "verificationcode",
    }
)
_HEADER_SECRETS = frozenset({"authorization", "cookie", "set-cookie", "x-auth-token", "token"})
REDACTED = "***"
#: Secrets shorter than this are masked only where a whole value equals them, never inside free text
#: (masking every "ab" in a log line would destroy it and reveal the secret by its gaps).
MIN_TEXT_SECRET = 3
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
    """Replaces known secret strings (passwords, tokens seen at run time) in values and free text.

    Passwords and keys are kept for the whole run; session tokens (`ephemeral`) only the newest
    EPHEMERAL_KEPT of them, so a long session with many re-logins keeps redaction cheap. Text is also
    searched for each secret as JSON, Python repr and URL encoding write it.
    """

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._ephemeral: OrderedDict[str, None] = OrderedDict()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, secret: str, *, ephemeral: bool = False) -> None:
        """Remember a secret so it is masked wherever it appears later (an empty one is ignored)."""
        if not secret or secret in self._secrets or secret in self._ephemeral:
            return
        with self._lock:
            if ephemeral:
                self._ephemeral[secret] = None
                while len(self._ephemeral) > EPHEMERAL_KEPT:
                    self._ephemeral.popitem(last=False)
            else:
                self._secrets.add(secret)
            forms = {form for known in self._known() for form in written_forms(known)}
            # Longest first, so a secret containing another is masked whole.
            ordered = sorted(forms, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered)) if ordered else None

    def _known(self) -> set[str]:
        return self._secrets.union(self._ephemeral)

    def redact(self, text: str) -> str:
        """`text` with every remembered secret, and any Bearer/Basic/Digest credential, replaced by ***."""
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        return _BEARER.sub(r"\1" + REDACTED, text)

    def redact_value(self, value: Any) -> Any:
        """`value` with secrets masked before it is serialised: a string equal to a secret (of any length)
        or under a secret field name becomes ***, others are redacted as text; containers are walked."""
        if isinstance(value, str):
            return REDACTED if value in self._secrets or value in self._ephemeral else self.redact(value)
        if isinstance(value, Mapping):
            return {
                key: REDACTED if _is_secret_field(key) and value[key] else self.redact_value(value[key])
                for key in value
            }
        if isinstance(value, list):
            return [self.redact_value(item) for item in value]
        if type(value) is tuple:
            return tuple(self.redact_value(item) for item in value)
        return value


def written_forms(secret: str) -> set[str]:
    """`secret` as text may carry it: itself, JSON-escaped (ASCII or not), Python repr, URL-encoded;
    forms shorter than MIN_TEXT_SECRET are left out."""
    forms = {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
    }
    return {form for form in forms if len(form) >= MIN_TEXT_SECRET}


def _is_secret_field(name: object) -> bool:
    # A bare "key" names a device identity key in records (vendor:serial), not a secret.
    return isinstance(name, str) and name.lower() != "key" and is_secret_key(name)


_BEARER = re.compile(r"((?:Bearer|Basic|Digest)\s+)[^\s,]+", re.IGNORECASE)

#: One process-wide redactor: the credential store and token sessions add to it.
REDACTOR = SecretRedactor()
