"""Redaction of URLs, headers and remembered secrets."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

from app.backend.redact import EPHEMERAL_KEPT, SecretRedactor, is_secret_key, redact_headers, redact_url


def test_redact_url_masks_user_info_and_secret_parameters() -> None:
    url = "https://admin:hunter22@127.0.0.1:8443/api?user=tech&password=hunter22&accessToken=t0k&page=2"
    assert redact_url(url) == "https://127.0.0.1:8443/api?user=tech&password=***&accessToken=***&page=2"


def test_redact_headers_masks_authorization_and_cookies() -> None:
    headers = [("Authorization", "Bearer abc"), ("Cookie", "sid=1"), ("Accept", "application/json")]
    assert redact_headers(headers) == [
        ("Authorization", "***"), ("Cookie", "***"), ("Accept", "application/json"),
    ]


def test_secret_redactor_masks_longest_secret_first_and_auth_schemes() -> None:
    redactor = SecretRedactor()
    redactor.add("abc")
    redactor.add("abcdef")
    redactor.add("xy")  # too short to mask safely
    text = "pw=abcdef then abc, header Authorization: Bearer eyJ.x.y, xy stays"
    assert redactor.redact(text) == "pw=*** then ***, header Authorization: Bearer ***, xy stays"


def test_secret_key_names_are_recognised_in_any_spelling() -> None:
    assert is_secret_key("Password")
    assert is_secret_key("access-token")
    assert is_secret_key("APP_SECRET")
    assert not is_secret_key("username")


def test_session_tokens_are_kept_only_while_recent_and_passwords_always() -> None:
    redactor = SecretRedactor()
    redactor.add("site-password")
    tokens = [f"token-{n:04d}" for n in range(EPHEMERAL_KEPT + 10)]
    for token in tokens:
        redactor.add(token, ephemeral=True)
    assert redactor.redact(f"{tokens[-1]} {tokens[-EPHEMERAL_KEPT]}") == "*** ***"
    assert redactor.redact(tokens[0]) == tokens[0]  # long expired: no longer worth a place in the pattern
    assert redactor.redact("login with site-password") == "login with ***"


def test_values_equal_to_a_short_secret_are_masked_and_free_text_is_not_garbled() -> None:
    redactor = SecretRedactor()
    redactor.add("q7")
    redactor.add("p4$")
    detail = {"password_used": "q7", "note": "q7 is kept in text", "nested": [{"value": "p4$"}], "n": 7}
    assert redactor.redact_value(detail) == {
        "password_used": "***", "note": "q7 is kept in text", "nested": [{"value": "***"}], "n": 7,
    }
    assert redactor.redact("login with p4$ failed") == "login with *** failed"


def test_secrets_are_masked_as_json_repr_and_urls_write_them() -> None:
    redactor = SecretRedactor()
    quoted, accented = 'pa"ss\\word', "pässwörd-Ω"
    redactor.add(quoted)
    redactor.add(accented)
    for text in (
        json.dumps({"pw": quoted}), json.dumps({"pw": accented}),
        json.dumps({"pw": accented}, ensure_ascii=False), repr({"pw": quoted}),
        f"?password={quote(accented)}", f"?p={quote_plus(quoted)}",
    ):
        redacted = redactor.redact(text)
        assert "***" in redacted, text
        for form in (quoted, accented, 'pa\\"ss', "p\\u00e4ssw", quote(accented)[:9]):
            assert form not in redacted, (text, redacted)


def test_fields_named_as_secrets_are_masked_whatever_their_value() -> None:
    redactor = SecretRedactor()
    assert redactor.redact_value({"Password": "never-registered", "key": "axis:ACCC8E000001"}) == {
        "Password": "***", "key": "axis:ACCC8E000001",
    }
