"""Reading serials and verification codes typed or pasted by a technician, one device per line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.vendors.hikvision.models import DeviceToAdd

#: The 9-character cloud serial (a letter and 8 digits, e.g. Q01728482), alone or at the end of the
#: full serial printed on labels (DS-KD8003-IME120230615AAWRQ01728482).
_SERIAL = re.compile(r"([A-Z]\d{8})$")
#: The verification code printed on the label: 6 capital letters (typed in any case).
_CODE = re.compile(r"^[A-Z]{6}$")
_TOKENS = re.compile(r"[A-Za-z0-9-]+")
_WORDS = frozenset({"SERIAL", "SN", "S/N", "NO", "CODE", "VERIFICATION", "VERIFY", "DEVICE", "VALIDATECODE"})


@dataclass(frozen=True, slots=True)
class ParsedLabels:
    """Devices understood, and the lines that were not (quoted back to the technician)."""

    devices: tuple[DeviceToAdd, ...]
    problems: tuple[str, ...]


def parse_labels(pasted: str) -> ParsedLabels:
    """Parse lines like "Q01728482 ABCDEF", "Q01728482;abcdef", "SN: … code: …"; duplicates kept once."""
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
    """One device from one line, or a reason it could not be read."""
    tokens = [t.upper() for t in _TOKENS.findall(line) if t.upper() not in _WORDS]
    serials = [m.group(1) for t in tokens if (m := _SERIAL.search(t))]
    codes = [t for t in tokens if _CODE.match(t)]
    if not serials:
        return "no serial number (a letter and 8 digits, e.g. Q01728482)"
    if not codes:
        return "no verification code (6 letters on the device label)"
    if len(set(serials)) > 1 or len(set(codes)) > 1:
        return "more than one device on this line"
    return DeviceToAdd(serials[0], codes[0])
