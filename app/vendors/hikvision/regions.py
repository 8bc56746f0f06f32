"""Where a Hik-Partner Pro account signs in: the token hosts of the document (§2.2, token/get) and the
regional services (`areaDomain`) every later call goes to, named for the technician."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenHost:
    """A preset for the account's service address: what the technician reads and the https address."""

    label: str
    url: str


#: The documented token hosts; the account's region is then named by the token's `areaDomain`.
TOKEN_HOSTS = (
    TokenHost("Global — Europe, Americas, Asia-Pacific", "https://api.hik-partner.com"),
    TokenHost("Russia", "https://api.hik-partnerru.com"),
)
#: The regional services a token may name (§2.2 `areaDomain`), shown so the technician knows the address.
AREA_SERVICES = (
    ("Europe", "https://ieuapi.hik-partner.com"),
    ("North America", "https://iusapi.hik-partner.com"),
    ("South America", "https://isaapi.hik-partner.com"),
    ("Singapore", "https://isgpapi.hik-partner.com"),
    ("Russia", "https://api.hik-partnerru.com"),
)


def preset_for(url: str, presets: tuple[TokenHost, ...]) -> TokenHost | None:
    """The preset whose address is `url` (trailing slash and case of the host ignored), or None."""
    wanted = url.strip().rstrip("/").lower()
    return next((p for p in presets if p.url.rstrip("/").lower() == wanted), None)


def service_note(url: str) -> str:
    """What the technician should know about `url` as the account's service address."""
    if preset_for(url, TOKEN_HOSTS) is None:
        return f"Sign-in goes to {url}; the cloud then names the regional service for every other call."
    areas = ", ".join(name for name, _ in AREA_SERVICES)
    return (
        f"Sign-in goes to {url}; every other call goes to the account's regional service ({areas}), "
        "shown in the panel once signed in."
    )
