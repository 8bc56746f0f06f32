"""The 2N HTTP API functions this app uses: path, methods, service and privilege (document §5 table)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Service(enum.Enum):
    """HTTP API services; each has its own enable, connection type and auth method (§3)."""

    SYSTEM = "System API"
    SWITCH = "Switch API"
    IO = "I/O API"
    AUDIO = "Audio API"
    CAMERA = "Camera API"
    DISPLAY = "Display API"
    LOGGING = "Logging API"
    PHONE = "Phone/Call API"


@dataclass(frozen=True, slots=True)
class Function:
    """One HTTP API function; `privilege` is "" where the table says "–" or "*"."""

    path: str
    methods: frozenset[str]
    service: Service
    privilege: str


def _f(path: str, methods: str, service: Service, privilege: str) -> Function:
    return Function(path, frozenset(methods.split("/")), service, privilege)


_SYS = Service.SYSTEM
# Privileges follow the overview table (§5), which the digest recommends where sections disagree.
FUNCTIONS: dict[str, Function] = {f.path: f for f in (
    _f("/api/system/info", "GET/POST", _SYS, ""),
    _f("/api/system/status", "GET/POST", _SYS, "system.control"),
    _f("/api/system/restart", "GET/POST", _SYS, "system.control"),
    _f("/api/system/caps", "GET", _SYS, "system.monitoring"),
    _f("/api/system/time", "GET/POST", _SYS, "system.monitoring"),
    _f("/api/system/time/set", "GET/POST", _SYS, "system.control"),
    _f("/api/firmware", "PUT", _SYS, "system.control"),
    _f("/api/firmware/apply", "GET/POST", _SYS, "system.control"),
    _f("/api/firmware/reject", "GET/POST", _SYS, "system.control"),
    _f("/api/config", "GET/POST/PUT", _SYS, "system.control"),
    _f("/api/config/factoryreset", "GET/POST", _SYS, "system.control"),
    # §5.14: the directory functions take a raw JSON body, not parameters.
    _f("/api/dir/template", "GET/POST", _SYS, "system.control"),
    _f("/api/dir/create", "PUT", _SYS, "system.control"),
    _f("/api/dir/update", "PUT", _SYS, "system.control"),
    _f("/api/dir/delete", "PUT", _SYS, "system.control"),
    _f("/api/dir/get", "POST", _SYS, "system.control"),
    _f("/api/dir/query", "POST", _SYS, "system.control"),
    _f("/api/switch/caps", "GET/POST", Service.SWITCH, "switches.monitoring"),
    _f("/api/switch/status", "GET/POST", Service.SWITCH, "switches.monitoring"),
    _f("/api/switch/ctrl", "GET/POST", Service.SWITCH, "switches.control"),
    _f("/api/io/caps", "GET/POST", Service.IO, "io.monitoring"),
    _f("/api/io/status", "GET/POST", Service.IO, "io.monitoring"),
    # The table gives io/ctrl "Monitoring", §5.5.3 "I/O Control": the table wins, as for every function.
    _f("/api/io/ctrl", "GET/POST", Service.IO, "io.monitoring"),
    _f("/api/camera/caps", "GET/POST", Service.CAMERA, "camera.monitoring"),
    _f("/api/camera/snapshot", "GET/POST", Service.CAMERA, "camera.monitoring"),
    _f("/api/display/caps", "GET/POST", Service.DISPLAY, "display.control"),
    _f("/api/display/image", "PUT/DELETE", Service.DISPLAY, "display.control"),
    _f("/api/log/caps", "GET/POST", Service.LOGGING, ""),
    _f("/api/log/subscribe", "GET/POST", Service.LOGGING, ""),
    _f("/api/log/unsubscribe", "GET/POST", Service.LOGGING, ""),
    _f("/api/log/pull", "GET/POST", Service.LOGGING, ""),
    _f("/api/audio/test", "GET/POST", Service.AUDIO, "audio.control"),
    _f("/api/phone/status", "GET/POST", Service.PHONE, "phone.monitoring"),
    # The overview table spells it `calllog`; §5.6.2 spells `callog`: the table's spelling is used.
    _f("/api/phone/calllog", "GET/POST/DELETE", Service.PHONE, "phone.monitoring"),
    _f("/api/call/status", "GET/POST", Service.PHONE, "phone.monitoring"),
    _f("/api/call/dial", "GET/POST", Service.PHONE, "phone.control"),
    _f("/api/call/hangup", "GET/POST", Service.PHONE, "phone.control"),
)}

#: Every privilege an API account can hold (§4: Monitoring/Control per group, as the matrix offers them).
ALL_PRIVILEGES: frozenset[str] = frozenset({
    "system.monitoring", "system.control", "switches.monitoring", "switches.control",
    "io.monitoring", "io.control", "audio.control", "camera.monitoring", "display.control",
    "uid.monitoring", "keypad.monitoring", "phone.monitoring", "phone.control",
})
