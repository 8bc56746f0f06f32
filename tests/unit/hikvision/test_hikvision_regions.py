"""Token-host presets: the document's addresses, matched whatever the case or trailing slash."""

from __future__ import annotations

from app.vendors.hikvision.regions import TOKEN_HOSTS, TokenHost, preset_for, service_note


def test_presets_are_the_documents_token_hosts_and_match_loosely() -> None:
    assert [p.url for p in TOKEN_HOSTS] == ["https://api.hik-partner.com", "https://api.hik-partnerru.com"]
    assert preset_for("HTTPS://API.HIK-PARTNER.COM/ ", TOKEN_HOSTS) == TOKEN_HOSTS[0]
    assert preset_for("https://127.0.0.1:8443", TOKEN_HOSTS) is None
    demo = TokenHost("Demo", "https://127.0.0.1:8443")
    assert preset_for("https://127.0.0.1:8443/", (*TOKEN_HOSTS, demo)) == demo


def test_the_note_names_the_regional_services_for_a_documented_host() -> None:
    assert service_note("https://api.hik-partner.com") == (
        "Sign-in goes to https://api.hik-partner.com; "
        "every other call goes to the account's regional service "
        "(Europe, North America, South America, Singapore, Russia), shown in the panel once signed in."
    )
    assert service_note("https://127.0.0.1:8443") == (
        "Sign-in goes to https://127.0.0.1:8443; "
        "the cloud then names the regional service for every other call."
    )
