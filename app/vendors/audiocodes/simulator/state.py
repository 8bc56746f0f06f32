"""State of one simulated Mediant: identity, clock, configuration, license, TLS contexts, alarms, files."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.clock import Clock
from app.vendors.audiocodes.simulator import pki
from app.vendors.audiocodes.simulator.licensing import BASE_FEATURES, mint_license_key

REBOOT_SECONDS = 20.0
DEBUG_FILE_SECONDS = 6.0
#: How long a hitless upgrade takes until the pair has switched over to the new load.
HITLESS_SECONDS = 90.0
_INI_LINE = re.compile(r"^\s*(?:;.*|\[.*\]|[A-Za-z][\w.\- ]*=.*|FORMAT .*|)\s*$")
LICENSE_ALARM_SOURCE = "Board#1/License"
_ALARM_POOL = (
    ("Trunk is down", "Major", "Board#1/Trunk#1"),
    ("Proxy set is not reachable: ITSP", "Major", "Board#1/ProxySet#1"),
    ("IP Group is blocked: Teams", "Minor", "Board#1/IPGroup#2"),
    ("NTP server is not reachable", "Minor", "Board#1/NTP"),
    ("License key is about to expire", "Warning", LICENSE_ALARM_SOURCE),
    ("Ethernet link is down: GROUP_2", "Major", "Board#1/EtherGroup#2"),
    ("TLS certificate will expire soon", "Warning", "Board#1/TLSContext#0"),
    ("High CPU utilisation", "Critical", "Board#1"),
    ("Syslog server unreachable", "Minor", "Board#1/Syslog"),
    ("SBC call admission limit reached", "Major", "Board#1/SBC"),
)
_DEFAULT_PARAMS = {
    "SyslogServerIP": "0.0.0.0",  # noqa: S104  (a parameter value, not a bind)
    "EnableSyslog": "0",
    "NTPServerIP": "0.0.0.0",  # noqa: S104
    "TelnetServerEnable": "0",
    "HTTPSOnly": "1",
    "SBCMaxForwardsLimit": "70",
    "MaxActiveCalls": "25",
    "TLSContexts_Count": "3",
}


@dataclass(slots=True)
class TlsContextState:
    """One TLS context: its private key, device certificate and trusted root store."""

    id: str
    name: str
    key: rsa.RSAPrivateKey | None = None
    certificate: x509.Certificate | None = None
    roots: list[x509.Certificate] = field(default_factory=list)

    def certificate_matches_key(self) -> bool:
        """True when the device certificate certifies the context's private key."""
        return (
            self.key is not None
            and self.certificate is not None
            and pki.same_public_key(self.certificate, self.key)
        )


@dataclass(slots=True)
class Alarm:
    """One alarm as the device keeps it."""

    id: int
    description: str
    severity: str
    source: str
    date: str
    cleared: bool = False


@dataclass(slots=True)
class DebugJob:
    """An asynchronous debug-file creation: ready at `ready_at` (monotonic) with `content`."""

    transaction_id: str
    name: str
    ready_at: float
    content: bytes


class MediantState:
    """Everything a simulated Mediant remembers; time comes from the injected clock only."""

    def __init__(self, *, serial_index: int, seed: int, clock: Clock) -> None:
        self.clock = clock
        self.random = random.Random(seed * 7919 + serial_index)
        self.serial = f"10178023{serial_index:07d}"
        self.mac = f"00908f{0x100000 + serial_index:06x}"
        self.ip_address = "127.0.0.1"
        self.product = "Mediant 800"
        self.version = "7.20A.200.014"
        self.clock_offset = timedelta(0)
        self.ha_pair = False
        self.debug_not_created = False
        self.calls_end_at: float | None = None
        self.switchover_at: float | None = None
        self.switchover_version = ""
        self.boot_monotonic = clock.monotonic()
        self.base_uptime = self.random.randint(3600, 40 * 86400)
        self.down_from: float | None = None
        self.down_until: float | None = None
        self.pending_version = ""
        self.save_needed = False
        self.saved_params = dict(_DEFAULT_PARAMS)
        self.params = dict(_DEFAULT_PARAMS)
        self.cli_lines: list[str] = []
        self.license_key = mint_license_key(self.serial, BASE_FEATURES)
        self.license_features = BASE_FEATURES
        self.contexts = {
            i: TlsContextState(i, n) for i, n in (("0", "default"), ("1", "SIP trunk"), ("2", "Teams"))
        }
        self.alarms: list[Alarm] = []
        self.last_alarm_change = ""
        self.debug_jobs: dict[str, DebugJob] = {}
        self.auth_tokens: dict[str, float] = {}
        self._next_alarm_id = 1
        for _ in range(self.random.randint(3, 6)):
            self.raise_alarm()

    # --- time and restarts ------------------------------------------------------------------------

    def device_time_text(self) -> str:
        """The device's local clock as status shows it (RFC 3339, milliseconds, Z)."""
        now = self.clock.now() + self.clock_offset
        return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"

    def uptime(self) -> int:
        """Seconds since the last boot."""
        return int(self.clock.monotonic() - self.boot_monotonic) + self.base_uptime

    def is_down(self) -> bool:
        """True while the device is restarting; finishes a due restart first."""
        now = self.clock.monotonic()
        if self.down_until is not None and now >= self.down_until:
            self._finish_restart(self.down_until)
        return self.down_from is not None and self.down_from <= now

    def switch_over(self, new_version: str) -> None:
        """A hitless upgrade: the pair switches over after HITLESS_SECONDS and runs `new_version`, without
        a restart window (the REST address stays up; the now-active unit has just booted)."""
        self.switchover_at = self.clock.monotonic() + HITLESS_SECONDS
        self.switchover_version = new_version

    def finish_switchover(self) -> None:
        """Apply a due switchover (called before each answer)."""
        if self.switchover_at is not None and self.clock.monotonic() >= self.switchover_at:
            self.version = self.switchover_version
            self.boot_monotonic, self.base_uptime = self.switchover_at, 0
            self.switchover_at = None

    def calls_remaining(self) -> float:
        """Seconds until the calls in progress end (0 when none are up)."""
        if self.calls_end_at is None:
            return 0.0
        return max(0.0, self.calls_end_at - self.clock.monotonic())

    def schedule_restart(self, *, save: bool, delay: float = 0.0, new_version: str = "") -> None:
        """Restart after `delay` seconds; unsaved changes are kept only when `save` is true."""
        if save:
            self.saved_params = dict(self.params)
            self.save_needed = False
        self.pending_version = new_version
        self.down_from = self.clock.monotonic() + delay
        self.down_until = self.down_from + REBOOT_SECONDS

    def _finish_restart(self, at: float) -> None:
        self.params = dict(self.saved_params)
        self.save_needed = False
        if self.pending_version:
            self.version = self.pending_version
        self.pending_version = ""
        self.boot_monotonic, self.base_uptime = at, 0
        self.down_from = self.down_until = None
        self.alarms = [a for a in self.alarms if not a.cleared]

    def save_configuration(self) -> None:
        """Make the running configuration the one that survives a restart."""
        self.saved_params = dict(self.params)
        self.save_needed = False

    # --- alarms -------------------------------------------------------------------------------------

    def raise_alarm(self) -> Alarm:
        """Raise one alarm from the pool, dated now."""
        description, severity, source = self.random.choice(_ALARM_POOL)
        alarm = Alarm(self._next_alarm_id, description, severity, source, self.device_time_text())
        self._next_alarm_id += 1
        self.alarms.append(alarm)
        self.last_alarm_change = alarm.date
        return alarm

    def clear_alarm(self, alarm_id: int) -> None:
        """Clear an active alarm; it stays in the history."""
        for alarm in self.alarms:
            if alarm.id == alarm_id:
                alarm.cleared = True
                self.last_alarm_change = self.device_time_text()

    def install_license(self, key: str, features: str) -> None:
        """Take a valid key: its features apply and the active license alarms clear into the history."""
        self.license_key, self.license_features = key, features
        for alarm in self.alarm_list("active"):
            if alarm.source == LICENSE_ALARM_SOURCE:
                self.clear_alarm(alarm.id)

    def alarm_list(self, kind: str) -> list[Alarm]:
        """Active alarms, or every alarm since boot for the history."""
        return [a for a in self.alarms if kind == "history" or not a.cleared]

    # --- configuration files -----------------------------------------------------------------------

    def render_ini(self) -> bytes:
        """The INI file as the device writes it (its header, then the running parameters)."""
        header = [
            ";**************",
            ";** Ini File **",
            ";**************",
            "",
            f";Board: {self.product}",
            ";Board Type: 73",
            f";Serial Number: {self.serial}",
            ";Slot Number: 1",
            f";Software Version: {self.version}",
            ";DSP Software Version: SOFTDSP => 0.00",
            f";Board IP Address: {self.ip_address}",
            ";Board Subnet Mask: 255.255.0.0",
            "",
            "[SYSTEM Params]",
            "",
        ]
        body = [f"{name} = {value}" for name, value in self.params.items()]
        return ("\r\n".join([*header, *body, ""])).encode()

    @staticmethod
    def parse_ini(data: bytes) -> dict[str, str]:
        """Parameters in an INI file; ValueError naming the first line the device would reject."""
        params: dict[str, str] = {}
        for number, line in enumerate(data.decode("latin-1").splitlines(), start=1):
            if not _INI_LINE.match(line):
                raise ValueError(f"line {number} is not a valid ini line")
            name, sep, value = line.partition("=")
            if sep and not line.lstrip().startswith((";", "[", "FORMAT")):
                params[name.strip()] = value.strip()
        return params

    def render_cli(self) -> bytes:
        """The running configuration as a CLI script (what `show running-config` prints)."""
        lines = ["configure system", *(f"  ini-param {n} {v}" for n, v in self.params.items()), "  exit"]
        return ("\r\n".join([*lines, *self.cli_lines, ""])).encode()

    def version_report(self) -> str:
        """Output of `show system version`, as the document's incremental CLI example shows it."""
        return (
            f". Version info:. --------------. ;Board: {self.product}. . ;Serial Number: {self.serial}. . "
            f";Software Version: {self.version}. . ;Board IP Address: {self.ip_address}. . "
            f";;;{self.license_features}. . ;MAC Addresses in use:. ;GROUP_1 - {self.mac_colons()}."
        )

    def mac_colons(self) -> str:
        """The MAC written with colons."""
        return ":".join(self.mac[i : i + 2] for i in range(0, 12, 2))

    # --- TLS -------------------------------------------------------------------------------------------

    def context(self, context_id: str) -> TlsContextState | None:
        """A TLS context by id, its key and self-signed certificate made on first use."""
        ctx = self.contexts.get(context_id)
        if ctx is not None and ctx.key is None and ctx.certificate is None:
            ctx.key = pki.generate_rsa_key(2048)
            ctx.certificate = pki.self_signed(
                ctx.key, {"subjectName": f"ACL_{self.serial}"}, self.clock.now(), host=self.ip_address
            )
        return ctx

    def served_pem(self) -> tuple[bytes, bytes, bytes]:
        """TLS context 0's (key PEM, certificate PEM, certificate DER): what the HTTPS server serves."""
        ctx = self.context("0")
        assert ctx is not None
        assert ctx.key is not None
        assert ctx.certificate is not None
        return (
            pki.key_pem(ctx.key),
            ctx.certificate.public_bytes(serialization.Encoding.PEM),
            ctx.certificate.public_bytes(serialization.Encoding.DER),
        )
