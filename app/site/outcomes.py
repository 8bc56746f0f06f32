"""A history entry's outcome in words for the customer's report: no internal keys, no raw JSON (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.backend import evidence
from app.backend.history import INTERRUPTED_RESULT, HistoryEntry

#: Actions the customer's report leaves out: connecting and reading, not work on the device.
_NOT_OUTCOMES = (
    "Logged in", "Credentials", "Unencrypted connection", "Reading", "Read ", "Checking",
    "Live", "Snapshot", "Asking", "Calibration live feedback", "Stitching preview", "Open ", "Opening",
    "Upload display image",  # its outcome is the DISPLAY_PICTURE entry, which names the picture
)
_FAILED = frozenset(
    {"failed", "cancelled", "not trusted", "kept blocking", "unconfirmed", INTERRUPTED_RESULT}
)


def is_deficiency(entry: HistoryEntry) -> bool:
    """Whether the entry records something that did not work (a failure, a refusal, an interruption)."""
    return entry.result in _FAILED or entry.result == "started"


def outcome_words(entry: HistoryEntry) -> str:
    """The entry as one sentence for the customer, or "" when it is not an outcome worth reporting."""
    if entry.action.startswith(_NOT_OUTCOMES) and not is_deficiency(entry):
        return ""
    detail = entry.detail
    special = _special(entry.action, entry.result, detail)
    if special:
        return special
    result = "interrupted (no outcome recorded)" if entry.result == "started" else entry.result
    reason = _text(detail.get("message"))
    return f"{entry.action}: {result}" + (f" — {reason}" if reason and is_deficiency(entry) else "")


def _special(action: str, result: str, detail: Mapping[str, Any]) -> str:
    words = _EXACT.get(action)
    if words is not None:
        return words(result, detail)
    for prefix, said in _PREFIXED:
        if action.startswith(prefix):
            return said(action.removeprefix(prefix), result, detail)
    return ""


def _walk_words(result: str, detail: Mapping[str, Any]) -> str:
    return (f"walk test {result}: alarm at {_metres(detail.get('alarm_at_m'))}, "
            f"alarm area ends at {_metres(detail.get('area_ends_m'))}")


def _calibration_words(result: str, detail: Mapping[str, Any]) -> str:
    return f"calibration saved: coefficient {_text(detail.get('coefficient'))}"


def _firmware_words(result: str, detail: Mapping[str, Any]) -> str:
    source = _text(detail.get("file"))
    change = f"firmware {_text(detail.get('from')) or '?'} → {_text(detail.get('to')) or '?'}"
    return change + (f" from {source}" if source else "")


def _alignment_words(result: str, detail: Mapping[str, Any]) -> str:
    sensors = detail.get("sensors")
    count = len(sensors) if isinstance(sensors, Mapping) else 0
    return (f"stitching alignment recorded: {count} sensor(s), "
            f"blending {_text(detail.get('blendingAmount'))}, "
            f"parallax distance {_text(detail.get('parallaxCompensationDistance'))} m")


def _trust_words(result: str, detail: Mapping[str, Any]) -> str:
    return {"trusted": "device certificate checked and trusted",
            "pinned to the serial read after login": "device certificate trusted (identity confirmed)",
            }.get(result, f"device certificate {result}")


#: A commissioning wizard's step as the customer reads it ("call" is the test call).
_STEP_WORDS = {"door": "door test", "call": "test call", "firmware": "firmware check",
               "display": "display picture", "registration": "SIP registration check",
               "backup": "configuration backup"}


def _wizard_words(step: str, result: str, detail: Mapping[str, Any]) -> str:
    summary = _text(detail.get("summary"))
    return f"{_STEP_WORDS.get(step, step + ' step')} {result}" + (f": {summary}" if summary else "")


def _picture_words(result: str, detail: Mapping[str, Any]) -> str:
    size = (f" ({_text(detail.get('width'))}×{_text(detail.get('height'))})"
            if detail.get("width") and detail.get("height") else "")
    shown = f"picture {_text(detail.get('file')) or ''}{size} put on the display".replace("  ", " ")
    how = _text(detail.get("how"))
    return shown + (f" as {how}" if how else "")


def _registered_words(site: str, result: str, detail: Mapping[str, Any]) -> str:
    return f"registered to cloud site {site}" if result == "done" else f"registration to {site} {result}"


def _site_job_words(kind: str, result: str, detail: Mapping[str, Any]) -> str:
    message = _text(detail.get("message"))
    return f"site job ({kind}): {result}" + (f" — {message}" if message else "")


def _handover_words(site: str, result: str, detail: Mapping[str, Any]) -> str:
    return f"site {site} handed over to {_text(detail.get('customer')) or 'the customer'}"


def _certificate_words(result: str, detail: Mapping[str, Any]) -> str:
    parts = [f"TLS certificate installed ({'verified' if result == 'confirmed' else 'NOT verified'}"
             + (f" by {_text(detail.get('verified_by'))})" if detail.get("verified_by") else ")")]
    for key, label in (("subject", "subject"), ("issuer", "issuer"), ("not_after", "expires")):
        if detail.get(key):
            parts.append(f"{label} {_text(detail.get(key))}")
    return ", ".join(parts)


def _cloud_state_words(result: str, detail: Mapping[str, Any]) -> str:
    name = _text(detail.get("name"))
    parts = [f"cloud device {_text(detail.get('model')) or '(model not reported)'}"
             + (f" “{name}”" if name else ""),
             f"firmware {_text(detail.get('firmware')) or 'not reported'}", result]
    if detail.get("site"):
        parts.append(f"in site {_text(detail.get('site'))}")
    handover = _text(detail.get("handover"))
    parts.append("hand-over accepted" if handover == evidence.HANDOVER_ACCEPTED
                 else f"hand-over {handover or 'unknown'}")
    return ", ".join(parts)


def _metres(value: object) -> str:
    return f"{float(value):.1f} m" if isinstance(value, int | float) else "?"


def _text(value: object) -> str:
    return "" if value is None else str(value)


_EXACT: Mapping[str, Callable[[str, Mapping[str, Any]], str]] = {
    evidence.WALK_TEST: _walk_words,
    evidence.CALIBRATION_SAVED: _calibration_words,
    evidence.FIRMWARE_UPDATED: _firmware_words,
    evidence.CERTIFICATE_REPLACED: _certificate_words,
    evidence.ALIGNMENT_RECORDED: _alignment_words,
    evidence.CERTIFICATE_ACTION: _trust_words,
    evidence.CLOUD_DEVICE_STATE: _cloud_state_words,
    evidence.DISPLAY_PICTURE: _picture_words,
}
_PREFIXED: tuple[tuple[str, Callable[[str, str, Mapping[str, Any]], str]], ...] = (
    (evidence.TWO_N_WIZARD_PREFIX, _wizard_words),
    (evidence.REGISTERED_PREFIX, _registered_words),
    (evidence.HANDED_OVER_PREFIX, _handover_words),
    (evidence.SITE_JOB_PREFIX, _site_job_words),
)
