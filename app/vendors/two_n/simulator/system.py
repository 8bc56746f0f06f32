"""Simulated System service: info, status, caps, restart, time, firmware and configuration (§5.1-5.3)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok
from app.vendors.two_n.simulator.firmware_file import parse_firmware, version_tuple
from app.vendors.two_n.simulator.state import (
    CONFIG_APPLY_SECONDS,
    FIRMWARE_PENDING_SECONDS,
    PendingFirmware,
    default_settings,
)

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

_FILE_ID = re.compile(r"^[0-9a-fA-F]{1,8}$")


async def info(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/system/info (§5.1.1)."""
    profile = sim.profile
    return ok(sim.state.sw_version, {
        "devType": profile.dev_type, "variant": profile.variant, "variantId": profile.variant_id,
        "customerId": 0, "serialNumber": sim.serial, "macAddr": sim.mac, "hwVersion": profile.hw_version,
        "swVersion": sim.state.sw_version, "buildType": "release",
        "firmwarePackage": profile.firmware_package,
        "deviceName": sim.state.device_name,
    })


def _utc_time(sim: TwoNSimulator) -> int:
    return int(sim.clock.now().timestamp() + sim.state.time_offset)


async def status(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/system/status (§5.1.2)."""
    return ok(sim.state.sw_version, {"systemTime": _utc_time(sim), "upTime": sim.up_time})


async def caps(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/system/caps (§5.1.4)."""
    options = {name: "active,licensed" if name in ("httpApi", "display") else "active"
               for name in sim.profile.features}
    return ok(sim.state.sw_version, {"options": options})


async def restart(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/system/restart (§5.1.3): answer, then go down."""
    sim.reboot()
    return ok(sim.state.sw_version)


async def time(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/system/time (§5.1.5)."""
    source = sim.state.time_source if not sim.state.automatic_time else "ntp"
    return ok(sim.state.sw_version, {"utcTime": _utc_time(sim), "source": source,
                                     "automatic": sim.state.automatic_time})


async def time_set(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/system/time/set (§5.1.6); with Internet time on, NTP overwrites it at the next sync."""
    utc = params.integer("time", required=True, low=0, high=2_147_483_647)
    assert utc is not None
    sim.state.time_offset = utc - sim.clock.now().timestamp()
    sim.state.time_source = "api"
    if sim.state.automatic_time:
        sim.later(60.0, lambda: setattr(sim.state, "time_offset", 0.0))
    return ok(sim.state.sw_version)


async def firmware_upload(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """PUT /api/firmware (§5.2.1); while a file is pending the device does not reply (§5.2.1 caution)."""
    while _pending(sim) is not None:
        pending = _pending(sim)
        assert pending is not None
        await sim.clock.sleep(max(pending.expires_at - sim.clock.monotonic(), 0.0) + 0.001)
    blob = params.blob("blob-fw", required=True)
    assert blob is not None
    parsed = parse_firmware(blob[1])
    if parsed is None or parsed.package != sim.profile.firmware_package:
        raise SimulatorError(12, "blob-fw")
    if version_tuple(parsed.version) < version_tuple(parsed.minimum) or version_tuple(
        sim.state.sw_version
    ) < version_tuple(parsed.minimum):
        raise SimulatorError(19, description="file version is lower than the required minimum")
    file_id = f"{sim.rng.getrandbits(32):08x}"
    sim.state.pending_firmware = PendingFirmware(
        file_id, parsed.version, sim.clock.monotonic() + FIRMWARE_PENDING_SECONDS)
    downgrade = version_tuple(parsed.version) < version_tuple(sim.state.sw_version)
    return ok(sim.state.sw_version, {"fileId": file_id, "version": parsed.version,
                                     "downgrade": downgrade, "note": parsed.note})


def _pending(sim: TwoNSimulator) -> PendingFirmware | None:
    pending = sim.state.pending_firmware
    if pending is not None and sim.clock.monotonic() >= pending.expires_at:
        sim.state.pending_firmware = pending = None
    return pending


def _take_pending(sim: TwoNSimulator, params: Params) -> PendingFirmware:
    file_id = params.text("fileId", required=True)
    assert file_id is not None
    if not _FILE_ID.match(file_id):
        raise SimulatorError(12, "fileId", "invalid parameter")
    pending = _pending(sim)
    if pending is None or pending.file_id != file_id.lower():
        raise SimulatorError(14, description="new firmware not found")
    sim.state.pending_firmware = None
    return pending


async def firmware_apply(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/firmware/apply (§5.2.2): install and restart into the new version."""
    pending = _take_pending(sim, params)
    reply = ok(sim.state.sw_version)
    sim.reboot(before_boot=lambda: setattr(sim.state, "sw_version", pending.version))
    return reply


async def firmware_reject(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/firmware/reject (§5.2.3)."""
    _take_pending(sim, params)
    return ok(sim.state.sw_version)


def config_xml(sim: TwoNSimulator) -> bytes:
    """The configuration file as /api/config sends it (§5.3.1 example: comment header, DeviceDatabase)."""
    root = ET.Element("DeviceDatabase", Version="4")
    for key, value in sorted(sim.state.settings.items()):
        node = root
        for part in key.split("/"):
            child = node.find(part)
            node = child if child is not None else ET.SubElement(node, part)
        node.text = value
    ET.indent(root)
    header = (
        f"<!--\n  Product name: {sim.profile.variant}\n  Serial number: {sim.serial}\n"
        f"  Software version: {sim.state.sw_version}\n  Hardware version: {sim.profile.hw_version}\n-->\n"
    )
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + header.encode() + ET.tostring(root) + b"\n"


def _parse_settings(data: bytes) -> dict[str, str]:
    try:
        # The simulator parses only what a client on loopback uploads to it.
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError:
        raise SimulatorError(12, "blob-cfg") from None
    if root.tag != "DeviceDatabase":
        raise SimulatorError(12, "blob-cfg")
    settings: dict[str, str] = {}

    def walk(node: ET.Element, prefix: str) -> None:
        for child in node:
            key = f"{prefix}{child.tag}"
            if len(child):
                walk(child, key + "/")
            else:
                settings[key] = (child.text or "").strip()

    walk(root, "")
    return settings


async def config(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/config: GET/POST download XML; PUT `blob-cfg` applied after about 15 s (§5.3.1)."""
    if request.method != "PUT":
        return Response(config_xml(sim), 200, {"Server": f"HIP{sim.state.sw_version}"},
                        media_type="application/xml")
    blob = params.blob("blob-cfg", required=True)
    assert blob is not None
    settings = _parse_settings(blob[1])

    def apply() -> None:
        sim.state.settings = settings

    sim.later(CONFIG_APPLY_SECONDS, apply)
    return ok(sim.state.sw_version)


async def factory_reset(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/config/factoryreset (§5.3.2): defaults after about 15 s, then a restart."""
    def reset() -> None:
        sim.state.settings = default_settings(sim.profile)
        sim.state.shown.clear()
        sim.directory.new_series()
        sim.reboot()

    sim.later(CONFIG_APPLY_SECONDS, reset)
    return ok(sim.state.sw_version)


HANDLERS: dict[str, Handler] = {
    "/api/system/info": info, "/api/system/status": status, "/api/system/caps": caps,
    "/api/system/restart": restart, "/api/system/time": time, "/api/system/time/set": time_set,
    "/api/firmware": firmware_upload, "/api/firmware/apply": firmware_apply,
    "/api/firmware/reject": firmware_reject, "/api/config": config,
    "/api/config/factoryreset": factory_reset,
}
