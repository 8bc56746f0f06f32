"""Reading serials and verification codes typed or pasted by a technician, one device per line.

Guide §3.18 (v2/device/add): `deviceSerial` is 1-9 characters (e.g. Q01728482, or the all-digit
519928976 of §3.23's example), `validateCode` 1-18 characters. A line names the serial then the code,
or labels them ("SN: … code: …"); a full label serial with its model prefix
(DS-KD8003-IME120230615AAWRQ01728482) stands for its last nine characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.vendors.hikvision.models import DeviceToAdd

SERIAL_LENGTH = 9
CODE_LENGTH = 18
_SERIAL = re.compile(rf"[A-Z0-9]{{1,{SERIAL_LENGTH}}}")
_CODE = re.compile(rf"[A-Z0-9]{{1,{CODE_LENGTH}}}")
#: A full serial as printed on labels: a model with dashes, then the 9-character cloud serial.
_FULL_SERIAL = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)+")
_TOKENS = re.compile(r"[A-Za-z0-9-]+")
_SERIAL_WORDS = frozenset({"SERIAL", "SN", "NO", "DEVICE"})
_CODE_WORDS = frozenset({"CODE", "VERIFICATION", "VERIFY", "VALIDATECODE"})
_EXAMPLE = "e.g. “Q01728482 ABCDEF”"


@dataclass(frozen=True, slots=True)
class ParsedLabels:
    """Devices understood, and the lines that were not (quoted back to the technician)."""

    devices: tuple[DeviceToAdd, ...]
    problems: tuple[str, ...]


def parse_labels(pasted: str) -> ParsedLabels:
    """Parse lines like "Q01728482 ABCDEF", "519928976;abcdef", "SN: … code: …"; duplicates kept once."""
    devices: dict[str, DeviceToAdd] = {}
    problems: list[str] = []
    for number, line in enumerate(pasted.splitlines(), start=1):
        if not line.strip():
            continue
        found = _parse_line(line)
        if isinstance(found, str):
            problems.append(f"line {number} “{line.strip()}”: {found}")
            continue
        if found.serial in devices and devices[found.serial] != found:
            problems.append(f"line {number}: {found.serial} was listed before with another code")
            continue
        devices[found.serial] = found
    return ParsedLabels(tuple(devices.values()), tuple(problems))


def _parse_line(line: str) -> DeviceToAdd | str:
    """One device from one line (codes are read in capitals, as printed), or why it could not be read."""
    labelled = _labelled(line)
    if isinstance(labelled, str):
        return labelled
    serial_text, code_text = labelled
    serial = _serial(serial_text)
    if serial is None:
        return (
            f"“{serial_text}” is not a serial number (1 to {SERIAL_LENGTH} letters and digits, "
            "e.g. Q01728482 or 519928976)"
        )
    if not code_text:
        return f"no verification code (1 to {CODE_LENGTH} characters on the device label)"
    if not _CODE.fullmatch(code_text):
        return f"“{code_text}” is not a verification code (1 to {CODE_LENGTH} letters and digits)"
    return DeviceToAdd(serial, code_text)


def _labelled(line: str) -> tuple[str, str] | str:
    """(serial text, code text) by the line's words ("SN", "code") or else by position."""
    tokens = [t.upper() for t in _TOKENS.findall(line.replace("S/N", "SN").replace("s/n", "SN"))]
    serial, code, free = "", "", []
    expecting = ""
    for word in tokens:
        if word in _SERIAL_WORDS or word in _CODE_WORDS:
            expecting = "serial" if word in _SERIAL_WORDS else "code"
            continue
        if expecting == "serial" and not serial:
            serial = word
        elif expecting == "code" and not code:
            code = word
        else:
            free.append(word)
        expecting = ""
    values = [serial or "", code or ""]
    for token in free:
        if not values[0]:
            values[0] = token
        elif not values[1]:
            values[1] = token
        else:
            return f"more than a serial number and a verification code on this line ({_EXAMPLE})"
    if not values[0]:
        return f"no serial number ({_EXAMPLE})"
    return values[0], values[1]


def _serial(text: str) -> str | None:
    """The cloud serial: the text itself (1-9 characters), or the last nine of a full label serial."""
    if _SERIAL.fullmatch(text):
        return text
    if _FULL_SERIAL.fullmatch(text) and len(text) > SERIAL_LENGTH:
        tail = text[-SERIAL_LENGTH:]
        return tail if _SERIAL.fullmatch(tail) else None
    return None
