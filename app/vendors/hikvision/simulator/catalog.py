"""The simulated world behind the cloud: devices that exist (serial + verification code) and the company."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Literal

Owner = Literal["nobody", "us", "other"]


@dataclass(frozen=True, slots=True)
class DeviceModel:
    """A Hikvision model as device/list reports it."""

    model: str
    default_name: str
    category: int
    sub_category: int
    firmware: str
    newer_firmware: str
    channels: int


DOOR_STATION = DeviceModel(
    "DS-KD8003-IME1", "Door station", 4, 12, "V2.2.54 build 230615", "V2.2.62 build 240410", 1
)
INDOOR_STATION = DeviceModel("DS-KH6320-WTE1", "Indoor station", 4, 0, "V2.2.8 build 231110", "", 1)
BULLET_CAMERA = DeviceModel(
    "DS-2CD2143G2-I", "Camera", 1, 0, "V5.7.3 build 220112", "V5.7.15 build 231020", 1
)
NVR = DeviceModel("DS-7608NI-K2", "NVR", 2, 1, "V4.74.105 build 231025", "", 8)
AX_PRO = DeviceModel("DS-PWA96-M-WE", "AX PRO", 3, 3, "V1.2.8 build 230928", "V1.2.9 build 240315", 0)
#: A first-generation alarm panel (AlarmHost, not AX Pro): its cloud upgrade needs username and password.
HYBRID_PANEL = DeviceModel(
    "DS-19A08-01BNG", "Alarm panel", 3, 0, "V1.0.6 build 210820", "V1.0.8 build 230712", 0
)
SWITCH = DeviceModel("DS-3E1510P-SI", "PoE switch", 11, 0, "V1.1.0 build 230601", "", 0)
#: The EN-certificated login of simulated first-generation panels (device/upgrade username/password).
PANEL_LOGIN = ("installer", "Panel1234")


@dataclass(slots=True)
class WorldDevice:
    """A physical device as the cloud knows it, whether or not it is in this account yet."""

    serial: str
    validate_code: str
    spec: DeviceModel
    ip: str
    owner: Owner = "nobody"
    cloud_connected: bool = True
    upgrade_fails: bool = False
    firmware: str = ""
    # account state, set once added to a site of this account
    device_id: str = ""
    name: str = ""
    site_id: str = ""
    added_at: float = 0.0
    online: bool = False
    online_at: float | None = None
    online_since: float = 0.0
    last_offline: str = ""
    pin: str = ""
    pin_queries: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.firmware:
            self.firmware = self.spec.firmware

    @property
    def needs_upgrade(self) -> bool:
        """A newer firmware than the installed one is published."""
        return bool(self.spec.newer_firmware) and self.firmware != self.spec.newer_firmware


@dataclass(frozen=True, slots=True)
class Employee:
    """An installer-company employee (installers/search row)."""

    id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    is_admin: bool
    #: May be a site manager (site/assign refuses others with LAP008104).
    manages_sites: bool = True
    #: "Manage All Sites": kept as a manager when site/assign replaces the others (§3.9).
    manages_all_sites: bool = False


@dataclass(frozen=True, slots=True)
class PartnerEmployee:
    """An employee of another installer company, whom a site can be shared with (site/share, §3.7)."""

    email: str
    first_name: str
    last_name: str
    company: str
    phone: str
    #: The partner company enabled site sharing (else LAP008104).
    sharing_enabled: bool = True
    #: How many companies the account belongs to (more than one: LAP008099).
    companies: int = 1


#: Other companies' employees the simulated cloud knows; any other address is LAP008082.
PARTNERS = (
    PartnerEmployee(
        "dana.kim@cabling-partner.example", "Dana", "Kim", "Cabling Partner Ltd", "+441632960101"
    ),
    PartnerEmployee(
        "lee.ward@no-sharing.example", "Lee", "Ward", "Closed Shop Security", "+441632960102",
        sharing_enabled=False,
    ),
    PartnerEmployee(
        "pat.lane@two-firms.example", "Pat", "Lane", "Lane & Lane", "+441632960103", companies=2
    ),
)


def _serial(rng: random.Random, *, digits_only: bool = False) -> str:
    """A label serial: a letter and 8 digits, or 9 digits like the document's own `519928976`."""
    letter = rng.choice("DFGJKLQ")
    digits = rng.randrange(10**8)
    return f"{rng.randrange(1, 10)}{digits:08d}" if digits_only else f"{letter}{digits:08d}"


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(6))


def build_world(rng: random.Random, extra_cameras: int = 0) -> list[WorldDevice]:
    """Devices ready for registration (plus `extra_cameras` more cameras, for a large site), then two
    that demonstrate documented add failures."""
    registerable = [
        (DOOR_STATION, False),
        (INDOOR_STATION, False),
        (BULLET_CAMERA, False),
        (BULLET_CAMERA, True),
        (NVR, False),
        (AX_PRO, False),
        (HYBRID_PANEL, False),
        (SWITCH, False),
    ]
    world = [
        WorldDevice(
            # The working bullet camera is labelled in digits only, like the document's X-Devserial example.
            _serial(rng, digits_only=spec is BULLET_CAMERA and not fails),
            _code(rng),
            spec,
            f"192.168.1.{20 + n}",
            upgrade_fails=fails,
        )
        for n, (spec, fails) in enumerate(registerable)
    ]
    world.extend(
        WorldDevice(_serial(rng), _code(rng), BULLET_CAMERA, f"10.20.{n // 250}.{n % 250 + 2}")
        for n in range(extra_cameras)
    )
    world.append(WorldDevice(_serial(rng), _code(rng), BULLET_CAMERA, "192.168.1.40", owner="other"))
    world.append(WorldDevice(_serial(rng), _code(rng), DOOR_STATION, "192.168.1.41", cloud_connected=False))
    return world


def build_company() -> list[Employee]:
    """The installer company's employees; the first is the admin."""
    return [
        Employee(
            "2f1c0e7a9b5d4c31", "Alex", "Morgan", "alex.morgan@installer.example", "+441632960001", True,
            manages_all_sites=True,
        ),
        Employee("7d3b9a1c5e2f4a60", "Sam", "Okafor", "sam.okafor@installer.example", "+441632960002", False),
        Employee("c4e8a2f6b1d94e07", "Riya", "Patel", "riya.patel@installer.example", "+441632960003", False),
        Employee(
            "9a0b7c6d5e4f3a21", "Jo", "Reyes", "jo.reyes@installer.example", "+441632960004", False,
            manages_sites=False,
        ),
    ]
