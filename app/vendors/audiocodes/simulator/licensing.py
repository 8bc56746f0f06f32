"""License keys of the simulated Mediant: each key carries the serial it was made for and its features."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass

# Only the simulator and the tests that talk to it mint keys; real keys are AudioCodes-encrypted.
_SIM_SECRET = b"simulated-mediant-license"
BASE_FEATURES = (
    "Key features:;Board Type: Mediant 800 ;Max SW Ver: 9.80;FXSPorts=0 ;FXOPorts=0 ;"
    "QOE features: VoiceQualityMonitoring ;Security: MediaEncryption StrongEncryption "
    "EncryptControlProtocol ;Control Protocols: SIP SBC=25 ;Coders: G711 G726 G729;"
)
EXTENDED_FEATURES = (
    "Key features:;Board Type: Mediant 800 ;Max SW Ver: 9.80;FXSPorts=0 ;FXOPorts=0 ;HA ;"
    "QOE features: VoiceQualityMonitoring MediaEnhancement ;Security: IPSEC MediaEncryption "
    "StrongEncryption EncryptControlProtocol ;Control Protocols: MSFT FEU=3 SIPRec=3 WebRTC SIP SBC=100 ;"
    "Coders: G711 G726 G729 G723 AMR ILBC OPUS;"
)
_FILE_LINE = re.compile(r"^\s*S/N\s*([0-9]+)\s*=\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class DecodedKey:
    """What a valid simulated key says: which serial, which features."""

    serial: str
    features: str


def mint_license_key(serial: str, features: str = EXTENDED_FEATURES) -> str:
    """A key the simulated device with `serial` accepts, unlocking `features`."""
    payload = f"{serial}|{features}".encode()
    tag = hmac.new(_SIM_SECRET, payload, hashlib.sha256).hexdigest()[:12]
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + tag


def decode_license_key(key: str) -> DecodedKey | None:
    """The serial and features in a key, or None when the key is not genuine."""
    body, _, tag = key.strip().rpartition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        return None
    expected = hmac.new(_SIM_SECRET, payload, hashlib.sha256).hexdigest()[:12]
    if not hmac.compare_digest(expected, tag):
        return None
    serial, _, features = payload.decode("utf-8", "replace").partition("|")
    return DecodedKey(serial, features)


def license_file(entries: dict[str, str]) -> bytes:
    """A license file with one `S/N<serial> = <key>` line per device."""
    lines = ["[LicenseKeys]", *(f"S/N{serial} = {key}" for serial, key in entries.items())]
    return ("\r\n".join(lines) + "\r\n").encode()


def keys_in_file(data: bytes) -> dict[str, str]:
    """Serial -> key for every key line in a license file."""
    return dict(_FILE_LINE.findall(data.decode("latin-1")))
