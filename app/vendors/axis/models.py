"""Raw JSON shapes and parsed data of VAPIX basic device info and the stitching API."""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from app.core.decoding import integer, number
from app.core.errors import DeviceProtocolError
from app.core.models import VendorId

VENDOR_ID: Final = VendorId("axis")

log = logging.getLogger(__name__)

SERVICE_TYPE = "_axis-video._tcp.local."
STITCHING_PATH = "/axis-cgi/stitching.cgi"
BASIC_DEVICE_INFO_PATH = "/axis-cgi/basicdeviceinfo.cgi"
SNAPSHOT_PATH = "/axis-cgi/jpg/image.cgi"
STITCHING_METHODS = (
    "getBlendingAmount",
    "setBlendingAmount",
    "getParallaxCompensationDistance",
    "setParallaxCompensationDistance",
    "rotateAngle",
    "restore",
)


class RotationAxis(enum.Enum):
    """The axis a sensor image is rotated about (rotateAngle `axis`)."""

    PAN = "pan"
    TILT = "tilt"
    ROLL = "roll"


@dataclass(frozen=True, slots=True)
class ApiVersion:
    """A "Major.Minor" stitching API version."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> ApiVersion | None:
        """Parse "Major.Minor"; None when the text is not in that form."""
        major, _, minor = text.partition(".")
        if not (major.isdigit() and minor.isdigit()):
            return None
        return cls(int(major), int(minor))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True, slots=True)
class StitchingLimits:
    """The ranges the camera accepts (getCapabilities `limits`)."""

    blending_min: float = 0.0
    blending_max: float = 100.0
    parallax_min: float = 1.0
    parallax_max: float = 50.0
    id_min: int = 0
    id_max: int = 0
    angle_min: float = -180.0
    angle_max: float = 180.0

    @property
    def sensor_ids(self) -> range:
        """Every valid sensor id, idMin to idMax inclusive."""
        return range(self.id_min, self.id_max + 1)


@dataclass(frozen=True, slots=True)
class StitchingCapabilities:
    """Which stitching methods the camera supports, and their limits."""

    methods: frozenset[str]
    limits: StitchingLimits

    def supports(self, method: str) -> bool:
        """True when getCapabilities reported `method` as supported."""
        return method in self.methods

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> StitchingCapabilities:
        """Parse getCapabilities `data`; raise DeviceProtocolError when its shape is wrong."""
        capabilities = data.get("capabilities")
        limits = data.get("limits")
        if not isinstance(capabilities, Mapping) or not isinstance(limits, Mapping):
            raise DeviceProtocolError(
                "The camera's stitching capabilities are malformed.", detail=str(data)[:300]
            )
        methods = frozenset(name for name, supported in capabilities.items() if supported is True)
        unknown = methods.difference(STITCHING_METHODS)
        if unknown:
            log.info("Camera reports stitching methods this app does not use: %s", sorted(unknown))
        return cls(methods, _decode_limits(limits))


def _decode_limits(raw: Mapping[str, Any]) -> StitchingLimits:
    defaults = StitchingLimits()
    where = "the camera's stitching limits"
    return StitchingLimits(
        blending_min=number(raw, "blendingAmountMin", where, default=defaults.blending_min),
        blending_max=number(raw, "blendingAmountMax", where, default=defaults.blending_max),
        parallax_min=number(raw, "parallaxCompensationDistanceMin", where, default=defaults.parallax_min),
        parallax_max=number(raw, "parallaxCompensationDistanceMax", where, default=defaults.parallax_max),
        id_min=integer(raw, "idMin", where, default=defaults.id_min, truncate=True),
        id_max=integer(raw, "idMax", where, default=defaults.id_max, truncate=True),
        angle_min=number(raw, "angleMin", where, default=defaults.angle_min),
        angle_max=number(raw, "angleMax", where, default=defaults.angle_max),
    )


def number_field(data: Mapping[str, Any], *keys: str) -> float:
    """The first of `keys` present in `data` as a number; DeviceProtocolError when none is."""
    for key in keys:
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    raise DeviceProtocolError(f"The camera's answer lacks {' / '.join(keys)}.", detail=str(dict(data))[:300])


@dataclass(frozen=True, slots=True)
class BasicDeviceInfo:
    """Product and serial from VAPIX basic device info (getAllUnrestrictedProperties)."""

    brand: str
    product_number: str
    product_short_name: str
    product_full_name: str
    product_type: str
    serial_number: str
    firmware: str

    @property
    def model(self) -> str:
        """The model as the device announces it, e.g. "AXIS Q3819-PVE"."""
        return self.product_short_name or f"{self.brand} {self.product_number}".strip()

    @property
    def mac(self) -> str:
        """The MAC address: on Axis devices the serial number is the MAC in hex."""
        serial = self.serial_number.upper()
        if len(serial) != 12:
            return ""
        return ":".join(serial[i : i + 2] for i in range(0, 12, 2))

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> BasicDeviceInfo:
        """Parse `data.propertyList`; raise DeviceProtocolError when it is missing or has no serial."""
        properties = data.get("propertyList")
        if not isinstance(properties, Mapping) or not isinstance(properties.get("SerialNumber"), str):
            raise DeviceProtocolError("The device's basic device info is malformed.", detail=str(data)[:300])

        def text(key: str) -> str:
            value = properties.get(key, "")
            return value if isinstance(value, str) else ""

        return cls(
            brand=text("Brand"),
            product_number=text("ProdNbr"),
            product_short_name=text("ProdShortName"),
            product_full_name=text("ProdFullName"),
            product_type=text("ProdType"),
            serial_number=text("SerialNumber").upper(),
            firmware=text("Version"),
        )
