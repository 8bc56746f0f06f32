"""Support data for Inxpect engineering: the last calibration's result and raw peaks as JSON or CSV (§3.7)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from app.backend.atomic import write_bytes_atomically
from app.backend.site_csv import neutralised
from app.core.file_names import saved_file
from app.core.models import DeviceIdentity
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.live import CalibrationData, CalibrationResult

FORMATS: Final = (".json", ".csv")


@dataclass(frozen=True, slots=True)
class CalibrationRecord:
    """One calibration as exported: who, when, how it was started, its stop code and /calibrationData."""

    identity: DeviceIdentity
    taken_at: str
    zone_based: bool
    result: CalibrationResult
    data: CalibrationData

    def as_json(self) -> dict[str, Any]:
        """The record as a JSON object; `calibrationData` as the sensor sent it (peaks unexplained, §3.7)."""
        return {
            "device": {"model": self.identity.model, "serial": self.identity.serial,
                       "firmware": self.identity.firmware},
            "takenAt": self.taken_at,
            "operation": 2 if self.zone_based else 1,
            "stopErrorCode": self.result.code,
            "quality": self.result.quality.value,
            "calibrationData": {"version": self.data.version, "value": self.data.value, "mse": self.data.mse,
                                "peaks": list(self.data.peaks)},
        }

    def render(self, suffix: str) -> bytes:
        """The file's bytes for `suffix` (.json or .csv)."""
        if suffix == ".json":
            return (json.dumps(self.as_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        if suffix == ".csv":
            return self._csv().encode("utf-8")
        raise ValueError(f"unknown export format {suffix}")

    def _csv(self) -> str:
        """Field/value rows, then one row per peak; text from the device neutralised for spreadsheets."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        body = self.as_json()
        rows: list[tuple[str, object]] = [
            ("model", self.identity.model), ("serial", self.identity.serial),
            ("firmware", self.identity.firmware), ("taken at", self.taken_at),
            ("operation", body["operation"]), ("stop error code", self.result.code),
            ("quality", body["quality"]), ("data version", self.data.version),
            ("coefficient", self.data.value), ("mse", self.data.mse),
        ]
        writer.writerow(("field", "value"))
        for name, value in rows:
            writer.writerow((name, neutralised(value) if isinstance(value, str) else value))
        writer.writerow(())
        writer.writerow(("peak", "value"))
        writer.writerows(enumerate(self.data.peaks))
        return out.getvalue()


def export_path(folder: Path, identity: DeviceIdentity, taken_at: datetime, suffix: str) -> Path:
    """`folder`/inxpect-calibration-<serial>-<UTC time><suffix>, a safe name inside `folder`."""
    stamp = taken_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return saved_file(folder, "inxpect-calibration", identity.serial, stamp, suffix=suffix)


async def export_calibration(
    client: InxpectClient,
    identity: DeviceIdentity,
    result: CalibrationResult,
    path: Path,
    *,
    zone_based: bool,
) -> CalibrationRecord:
    """Read /calibrationData now and write it with the stop code to `path` (.json or .csv), atomically."""
    if path.suffix not in FORMATS:
        raise ValueError(f"export as .json or .csv, not {path.suffix!r}")
    data = await client.read_calibration_data()
    record = CalibrationRecord(identity, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), zone_based,
                               result, data)
    await asyncio.to_thread(write_bytes_atomically, path, record.render(path.suffix))
    return record
