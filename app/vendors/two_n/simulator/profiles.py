"""Per-model profiles of the simulated intercoms: identity, display, camera, switches, I/O, events."""

from __future__ import annotations

from dataclasses import dataclass

from app.vendors.two_n.display_video import accepted_sizes


@dataclass(frozen=True, slots=True)
class DisplaySpec:
    """One display as a model has it (document §5.9.2)."""

    display: str
    width: int
    height: int
    formats: frozenset[str]
    overlay: bool
    video: bool
    default_notification_ms: int = 30_000

    @property
    def video_sizes(self) -> tuple[tuple[int, int], ...]:
        """The video sizes the display plays: its own, and both the document gives for the Verso."""
        return accepted_sizes(self.width, self.height) if self.video else ()


@dataclass(frozen=True, slots=True)
class SwitchSpec:
    """Factory setup of one switch (§5.4.1)."""

    switch: int
    enabled: bool
    mode: str = "monostable"
    switch_on_duration: int = 5
    type: str = "normal"


@dataclass(frozen=True, slots=True)
class ModelProfile:
    """What distinguishes one 2N model from another in the HTTP API."""

    variant: str
    variant_id: int
    dev_type: str
    hw_version: str
    firmware_package: str
    serial_prefix: str
    displays: tuple[DisplaySpec, ...]
    camera_resolutions: tuple[tuple[int, int], ...]
    switches: tuple[SwitchSpec, ...]
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    events: tuple[str, ...]
    features: tuple[str, ...]


_BASE_EVENTS = (
    "KeyPressed", "KeyReleased", "InputChanged", "OutputChanged", "CardEntered", "CallStateChanged",
    "AudioLoopTest", "CodeEntered", "DeviceState", "RegistrationStateChanged", "SwitchStateChanged",
    "SwitchOperationChanged", "MotionDetected", "TamperSwitchActivated", "DoorStateChanged",
)
_CAMERA_SMALL = ((160, 120), (176, 144), (320, 240), (352, 272), (352, 288), (640, 480))
_FEATURES = (
    "audioLoopTest", "camera", "video", "motionDetection", "encJpeg", "phone", "httpApi", "switches",
    "advancedSwitches", "tamperInput", "doorSensor", "display", "accessControl", "doorControl",
)
_VERSO_FORMATS = frozenset({"JPEG", "BMP", "PNG"})

VERSO = ModelProfile(
    variant="2N IP Verso", variant_id=14, dev_type="2-14-0-0", hw_version="570v1",
    firmware_package="verso", serial_prefix="54",
    # §5.9.2 gives 320 x 214 in the parameter and image tables but 214 x 240 in the video table and
    # the examples; the simulator reports 320 x 214 through /api/display/caps, as the client reads it.
    # Two display modules (module names are the display ids, §5.9.2), so the app's choice is exercised.
    displays=(DisplaySpec("ext1", 320, 214, _VERSO_FORMATS, overlay=True, video=True),
              DisplaySpec("ext2", 320, 214, _VERSO_FORMATS, overlay=True, video=True)),
    camera_resolutions=(*_CAMERA_SMALL, (1280, 960)),
    switches=(SwitchSpec(1, True, "monostable", 5, "security"), SwitchSpec(2, True, "bistable"),
              SwitchSpec(3, False), SwitchSpec(4, False)),
    inputs=("input1", "input2", "tamper"), outputs=("relay1", "relay2", "led_secured"),
    events=(*_BASE_EVENTS, "DisplayTouched"), features=(*_FEATURES, "keypad", "cardReader", "nfc"),
)
VARIO = ModelProfile(
    variant="2N IP Vario", variant_id=3, dev_type="2-3-0-0", hw_version="535v1",
    firmware_package="vario", serial_prefix="08",
    displays=(DisplaySpec("internal", 320, 240, frozenset({"JPEG", "GIF", "BMP"}), overlay=False,
                          video=False),),
    camera_resolutions=_CAMERA_SMALL,
    switches=(SwitchSpec(1, True, "monostable", 5), SwitchSpec(2, True, "monostable", 3),
              SwitchSpec(3, False), SwitchSpec(4, False)),
    inputs=("input1", "tamper"), outputs=("relay1",),
    events=_BASE_EVENTS, features=(*_FEATURES, "keypad", "buttons"),
)
STYLE = ModelProfile(
    variant="2N IP Style", variant_id=33, dev_type="2-33-0-0", hw_version="590v2",
    firmware_package="style", serial_prefix="63",
    displays=(DisplaySpec("ext1", 1280, 800, _VERSO_FORMATS, overlay=True, video=False),),
    camera_resolutions=(*_CAMERA_SMALL, (1280, 960)),
    switches=(SwitchSpec(1, True, "monostable", 7, "security"), SwitchSpec(2, True, "bistable"),
              SwitchSpec(3, True, "monostable", 3), SwitchSpec(4, False)),
    inputs=("input1", "input2", "tamper"), outputs=("relay1", "relay2"),
    events=(*_BASE_EVENTS, "DisplayTouched", "FingerEntered"),
    features=(*_FEATURES, "fpReader", "bleReader", "nfc", "cardReader"),
)

PROFILES: tuple[ModelProfile, ...] = (VERSO, VARIO, STYLE)


def profile_for(serial_index: int) -> ModelProfile:
    """The model a simulated device of this index has: Verso, Vario and Style in turn."""
    return PROFILES[serial_index % len(PROFILES)]
