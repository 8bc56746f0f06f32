"""Mutable state of a simulated intercom: firmware, configuration, display, switches, clock offset."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.vendors.two_n.simulator.profiles import DisplaySpec, ModelProfile, SwitchSpec

FIRMWARE_PENDING_SECONDS = 300.0
CONFIG_APPLY_SECONDS = 15.0


@dataclass(slots=True)
class PendingFirmware:
    """An uploaded firmware file waiting for apply or reject (rejected automatically after 5 minutes)."""

    file_id: str
    version: str
    expires_at: float


@dataclass(slots=True)
class DisplayContent:
    """What a display shows: the uploaded image, as overlay or as notification until `until`."""

    data: bytes
    format: str
    notification: bool
    until: float | None
    kind: str = "image"
    description: str = ""


@dataclass(slots=True)
class SwitchRuntime:
    """Live state of one switch (§5.4.2); `off_at` ends a monostable pulse, `hold_until` a timed hold."""

    spec: SwitchSpec
    active: bool = False
    locked: bool = False
    held: bool = False
    hold_until: float | None = None
    generation: int = 0

    @property
    def effective(self) -> bool:
        """Locking has priority over holding: a locked switch is always deactivated."""
        return not self.locked and (self.active or self.held)


def default_settings(profile: ModelProfile, serial: str = "") -> dict[str, str]:
    """The factory configuration as flat "Section/Key" -> value pairs."""
    return {
        "Device/DeviceName": profile.variant,
        "Network/DhcpEnabled": "1",
        "Network/HostName": f"2N-{profile.firmware_package}{serial}",
        "Phone/SipNumber": "100",
        "Phone/Domain": "pbx.example.invalid",
        "Switches/Switch1/Duration": str(profile.switches[0].switch_on_duration),
        "Display/Brightness": "80",
        "Time/NtpEnabled": "1",
    }


@dataclass(slots=True)
class DeviceState:
    """Everything a write changes and a read reports back."""

    profile: ModelProfile
    sw_version: str
    settings: dict[str, str]
    switches: dict[int, SwitchRuntime]
    displays: dict[str, DisplaySpec]
    shown: dict[str, DisplayContent] = field(default_factory=dict)
    pending_firmware: PendingFirmware | None = None
    pending_config: dict[str, str] | None = None
    time_offset: float = 0.0
    time_source: str = "ntp"
    cached_images: set[str] = field(default_factory=set)

    @classmethod
    def factory(cls, profile: ModelProfile, sw_version: str) -> DeviceState:
        """State fresh from the factory."""
        return cls(
            profile=profile, sw_version=sw_version, settings=default_settings(profile),
            switches={spec.switch: SwitchRuntime(spec) for spec in profile.switches},
            displays={spec.display: spec for spec in profile.displays},
        )

    @property
    def device_name(self) -> str:
        """The configured device name (system/info `deviceName`)."""
        return self.settings.get("Device/DeviceName", self.profile.variant)

    @property
    def automatic_time(self) -> bool:
        """True when the clock is set from the Internet (a time/set is then overwritten)."""
        return self.settings.get("Time/NtpEnabled", "1") == "1"

    def after_reboot(self) -> None:
        """What a restart clears: pending uploads, display content, switch activity."""
        self.pending_firmware = None
        self.shown.clear()
        for runtime in self.switches.values():
            runtime.active = False
            runtime.held = False
            runtime.hold_until = None
            runtime.generation += 1
