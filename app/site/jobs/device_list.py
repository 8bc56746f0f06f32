"""Device lists for headless jobs: the JSON lines `commissioner sim --json` prints, or a CSV with those
column names (vendor, host, port, scheme, username, password, fingerprint; serial, model, mac optional)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.core.errors import ConfigurationError
from app.core.models import VendorId
from app.site.jobs.model import JobTarget
from app.site.jobs.work import DeviceSession


def read_device_list(path: Path) -> list[JobTarget]:
    """The devices in `path`; ConfigurationError naming the line of the first unusable entry."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ConfigurationError(f"The device list {path} cannot be read: {err.strerror}.") from err
    if text.lstrip().startswith("{"):
        records = _json_lines(text, path)
    else:
        records = ((number, row) for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2))
    targets = [target for number, record in records if (target := _target(record, path, number))]
    if not targets:
        raise ConfigurationError(f"The device list {path} lists no device.")
    return targets


def targets_from(records: Iterable[Mapping[str, Any]], source: str = "device list") -> list[JobTarget]:
    """The devices of parsed records (`commissioner sim --json` objects); ConfigurationError as above."""
    return [target for number, record in enumerate(records, start=1)
            if (target := _target(record, Path(source), number))]


def _json_lines(text: str, path: Path) -> Iterable[tuple[int, Mapping[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise ConfigurationError(f"{path}, line {number}: not a JSON object ({err}).") from err
        if not isinstance(record, dict):
            raise ConfigurationError(f"{path}, line {number}: not a JSON object.")
        yield number, record


def _target(record: Mapping[str, Any], path: Path, number: int) -> JobTarget | None:
    """One device, or None for a line that describes none (the simulator's final "ready" line)."""
    from app.vendors.registry import vendor_ids

    if "ready" in record and "host" not in record:
        return None
    fields = {key: str(value).strip() for key, value in record.items() if key and value is not None}
    vendor, host = fields.get("vendor", ""), fields.get("host", "")
    if not vendor or not host:
        raise ConfigurationError(f"{path}, line {number}: a device needs at least a vendor and a host.")
    if vendor not in vendor_ids():
        raise ConfigurationError(f"{path}, line {number}: unknown vendor {vendor!r}.")
    scheme = fields.get("scheme", "https") or "https"
    try:
        port = int(fields.get("port") or (443 if scheme == "https" else 80))
    except ValueError:
        port_text = fields["port"]
        raise ConfigurationError(f"{path}, line {number}: the port {port_text!r} is not a number.") from None
    if scheme not in ("https", "http") or not 0 < port < 65536:
        raise ConfigurationError(f"{path}, line {number}: {scheme}://{host}:{port} is not a device address.")
    return JobTarget(
        VendorId(vendor), host, port, "https" if scheme == "https" else "http",
        serial=fields.get("serial", ""), model=fields.get("model", ""), mac=fields.get("mac", ""),
        username=fields.get("username", ""), password=fields.get("password", ""),
        fingerprint=fields.get("fingerprint", ""),
    )


class PasswordList:
    """New passwords: one line for every device, or `SERIAL,PASSWORD` lines (serial or vendor:serial)."""

    def __init__(self, shared: str = "", per_device: Mapping[str, str] | None = None) -> None:
        self._shared = shared
        self._per_device = {key.lower(): value for key, value in (per_device or {}).items()}

    @classmethod
    def read(cls, path: Path) -> PasswordList:
        """The passwords in `path`; ConfigurationError when it has none or a line is unusable."""
        try:
            lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
        except OSError as err:
            raise ConfigurationError(f"The password file {path} cannot be read: {err.strerror}.") from err
        lines = [line for line in lines if line and not line.startswith("#")]
        if len(lines) == 1 and "," not in lines[0]:
            return cls(shared=lines[0])
        per_device: dict[str, str] = {}
        for number, line in enumerate(lines, start=1):
            key, _, password = line.partition(",")
            if not key.strip() or not password.strip():
                raise ConfigurationError(f"{path}: entry {number} is not SERIAL,PASSWORD.")
            per_device[key.strip()] = password.strip()
        if not per_device:
            raise ConfigurationError(f"The password file {path} holds no password.")
        return cls(per_device=per_device)

    def __call__(self, session: DeviceSession) -> str | None:
        """The new password of the device in `session`, or None when none is listed for it."""
        identity = session.identity
        for key in (identity.key, identity.serial):
            if key and key.lower() in self._per_device:
                return self._per_device[key.lower()]
        return self._shared or None
