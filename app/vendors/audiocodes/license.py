"""License helpers: the key description as a readable feature list, and serial checks before sending."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.errors import AppError

if TYPE_CHECKING:
    from app.vendors.audiocodes.client import AudioCodesClient
    from app.vendors.audiocodes.models import DeviceStatus

#: Category labels seen in the document's keyDescription and CLI "Key features" examples. When the
#: description has no ";" separators (the GET /license example), these are where groups start.
KNOWN_GROUPS = (
    "Board Type",
    "Max SW Ver",
    "QOE features",
    "DATA features",
    "Channel Type",
    "IP Media",
    "Security",
    "DSP Voice features",
    "Control Protocols",
    "Default features",
    "Coders",
)
#: Groups whose value is one phrase ("Mediant 800"), not a list of feature words.
_SINGLE_VALUE_GROUPS = frozenset({"Board Type", "Max SW Ver", "Channel Type"})
_GROUP_START = re.compile(r"(?<![\w-])(" + "|".join(re.escape(g) for g in KNOWN_GROUPS) + r"):")
#: License files name each key's device as S/N<serial>; the device applies the key matching its serial.
_FILE_SERIAL = re.compile(r"S/N\s*[:=]?\s*([0-9]{5,20})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeatureGroup:
    """One category of licensed features, e.g. Security: MediaEncryption, StrongEncryption."""

    name: str
    features: tuple[str, ...]


def _readable(item: str) -> str:
    name, sep, value = item.partition("=")
    return f"{name}: {value}" if sep else item


def describe_features(description: str) -> list[FeatureGroup]:
    """The license key description as groups of features, in the device's order."""
    text = re.sub(r"^[\s;]*Key features:\s*;?", "", description.strip(), flags=re.IGNORECASE)
    segments = text.split(";") if ";" in text else _split_on_groups(text)
    groups: list[FeatureGroup] = []
    loose: list[str] = []
    for segment in (s.strip() for s in segments):
        if not segment:
            continue
        name, sep, value = segment.partition(":")
        if not sep:
            loose.extend(_readable(word) for word in segment.split())
            continue
        name, value = name.strip(), value.strip()
        if name in _SINGLE_VALUE_GROUPS or not value:
            groups.append(FeatureGroup(name, (value,) if value else ()))
        else:
            groups.append(FeatureGroup(name, tuple(_readable(word) for word in value.split())))
    if loose:
        groups.append(FeatureGroup("Other", tuple(loose)))
    return [g for g in groups if g.features]


def _split_on_groups(text: str) -> list[str]:
    starts = [m.start() for m in _GROUP_START.finditer(text)]
    if not starts:
        return [text]
    pieces = [text[: starts[0]]] if starts[0] > 0 else []
    bounds = [*starts, len(text)]
    pieces.extend(text[bounds[i] : bounds[i + 1]] for i in range(len(starts)))
    return pieces


def license_file_serials(data: bytes) -> list[str]:
    """The serial numbers a license file holds keys for (empty when the file names none)."""
    return _FILE_SERIAL.findall(data.decode("latin-1"))


class LicenseRefusedError(AppError):
    """The license does not fit this device (another serial, or a key string on an HA pair); nothing sent."""


def check_key_serial(entered_serial: str, device_serial: str) -> None:
    """Raise LicenseRefusedError unless the serial typed with the key is the device's own."""
    if entered_serial.strip() != device_serial:
        raise LicenseRefusedError(
            f"This license key is for serial number {entered_serial.strip() or '(none given)'}, "
            f"but this device's serial number is {device_serial}. Nothing was sent."
        )


def check_file_serials(data: bytes, device_serial: str, *, redundant_serial: str = "") -> None:
    """Raise LicenseRefusedError when a file names serials, none of them this device's (or mate's)."""
    serials = license_file_serials(data)
    if not serials:
        return
    wanted = {device_serial, redundant_serial} - {""}
    if not wanted.intersection(serials):
        raise LicenseRefusedError(
            f"This license file holds keys for serial number(s) {', '.join(sorted(set(serials)))}, "
            f"but this device's serial number is {device_serial}. Nothing was sent."
        )


async def install_key(client: AudioCodesClient, status: DeviceStatus, key: str, serial: str) -> None:
    """Install a key string after checking, before sending, that it is for this standalone device."""
    if status.is_ha_pair:
        raise LicenseRefusedError(
            "This device is one unit of an HA pair: a key string cannot be applied. Install the license "
            "file instead (it carries the keys of both units). Nothing was sent."
        )
    if not key.strip():
        raise LicenseRefusedError("The license key is empty. Nothing was sent.")
    check_key_serial(serial, status.serial_number)
    await client.install_license_key(key.strip(), status.serial_number)


async def install_file(client: AudioCodesClient, status: DeviceStatus, filename: str, data: bytes) -> None:
    """Install a license file after checking, before sending, that it names this device's serial."""
    check_file_serials(data, status.serial_number)
    await client.install_license_file(filename, data)
