"""The simulated camera's stitching state and stitching.cgi handlers, as the document describes them."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_VERSIONS = ("1.0", "2.1", "3.0")
AXES = ("pan", "tilt", "roll")
FACTORY_BLENDING = 50.0
FACTORY_PARALLAX = 10.0
ERROR_MESSAGES = {
    1000: "Invalid parameter value.",
    2003: "The requested API version is not supported.",
    2004: "Method not supported.",
    2212: "Method is not allowed in disabled mode.",
    2214: "Blending is disabled.",
    4001: "Mandatory input parameter was not found in the input.",
    4002: "The type of a provided JSON parameter was incorrect.",
    8000: "Internal error, could not complete request.",
    8002: "Generic error.",
}


class StitchingFault(Exception):  # noqa: N818  (internal control flow of the simulator, not an app error)
    """A request the simulated camera answers with an `error` envelope."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(slots=True)
class SensorState:
    """One sensor: its physical mounting error (the misalignment) and the accumulated corrections."""

    mounting_error: dict[str, float]
    correction: dict[str, float] = field(default_factory=lambda: dict.fromkeys(AXES, 0.0))

    def effective(self, axis: str) -> float:
        """Where the sensor image points, relative to perfect alignment, in degrees."""
        return self.mounting_error[axis] + self.correction[axis]


@dataclass(slots=True)
class StitchingState:
    """Everything stitching.cgi reads and writes, plus the named fault scenarios in force."""

    sensors: dict[int, SensorState]
    blending: float = FACTORY_BLENDING
    parallax: float = FACTORY_PARALLAX
    versions: tuple[str, ...] = SUPPORTED_VERSIONS
    capabilities: dict[str, bool] = field(
        default_factory=lambda: {
            "getBlendingAmount": True,
            "setBlendingAmount": True,
            "getParallaxCompensationDistance": True,
            "setParallaxCompensationDistance": True,
            "rotateAngle": True,
            "restore": True,
        }
    )
    blending_disabled: bool = False
    stitching_disabled: bool = False
    misspelt_parallax_field: bool = True
    fail_next: list[int] = field(default_factory=list)
    revision: int = 0

    @classmethod
    def misaligned(cls, rng: random.Random, sensor_count: int = 4) -> StitchingState:
        """Sensors knocked out of alignment by seeded amounts, within the Q3819-PVE ±1.4° pan soft limit."""
        spans = {"pan": 0.9, "tilt": 0.6, "roll": 0.7}
        sensors = {
            sensor_id: SensorState({axis: round(rng.uniform(-span, span), 2) for axis, span in spans.items()})
            for sensor_id in range(sensor_count)
        }
        return cls(sensors=sensors)

    def limits(self) -> dict[str, float | int]:
        """getCapabilities `limits`."""
        return {
            "blendingAmountMin": 0.0,
            "blendingAmountMax": 100.0,
            "parallaxCompensationDistanceMin": 1.0,
            "parallaxCompensationDistanceMax": 50.0,
            "idMin": min(self.sensors),
            "idMax": max(self.sensors),
            "angleMin": -180,
            "angleMax": 180,
        }


def _number(params: Mapping[str, Any], name: str) -> float:
    if name not in params:
        raise StitchingFault(4001)
    value = params[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StitchingFault(4002)
    # "when using decimals only the 15 first are used"
    return round(float(value), 15)


def _in_range(value: float, low: float, high: float) -> float:
    if not low <= value <= high:
        raise StitchingFault(1000)
    return value


def _sensor(state: StitchingState, params: Mapping[str, Any]) -> SensorState:
    sensor_id = _number(params, "id")
    if sensor_id != int(sensor_id) or int(sensor_id) not in state.sensors:
        raise StitchingFault(1000)
    return state.sensors[int(sensor_id)]


def _get_blending(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    return {"blendingAmount": state.blending}


def _set_blending(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    if state.blending_disabled:
        raise StitchingFault(2214)
    state.blending = _in_range(_number(params, "blendingAmount"), 0.0, 100.0)
    return {}


def _get_parallax(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    # The document's response syntax spells the field `parallaxComensationDistance`; its example does not.
    name = "parallaxComensationDistance" if state.misspelt_parallax_field else "parallaxCompensationDistance"
    return {name: state.parallax}


def _set_parallax(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    state.parallax = _in_range(_number(params, "parallaxCompensationDistance"), 1.0, 50.0)
    return {}


def _rotate(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    if state.stitching_disabled:
        raise StitchingFault(2212)
    sensor = _sensor(state, params)
    axis = params.get("axis")
    if axis is None:
        raise StitchingFault(4001)
    if not isinstance(axis, str):
        raise StitchingFault(4002)
    if axis not in AXES:
        raise StitchingFault(1000)
    angle = _in_range(_number(params, "angle"), -180.0, 180.0)
    total = sensor.correction[axis] + angle
    _in_range(total, -180.0, 180.0)
    sensor.correction[axis] = round(total, 12)
    return {}


def _restore(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    if state.stitching_disabled:
        raise StitchingFault(2212)
    sensor = _sensor(state, params)
    sensor.correction = dict.fromkeys(AXES, 0.0)
    # "removes all changes made with setBlendingAmount, setParallaxCompensationDistance, rotateAngle"
    state.blending = FACTORY_BLENDING
    state.parallax = FACTORY_PARALLAX
    return {}


def _capabilities(state: StitchingState, params: Mapping[str, Any]) -> dict[str, Any]:
    return {"capabilities": dict(state.capabilities), "limits": state.limits()}


Handler = Callable[[StitchingState, Mapping[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {
    "getCapabilities": _capabilities,
    "getBlendingAmount": _get_blending,
    "setBlendingAmount": _set_blending,
    "getParallaxCompensationDistance": _get_parallax,
    "setParallaxCompensationDistance": _set_parallax,
    "rotateAngle": _rotate,
    "restore": _restore,
}


def _version_supported(state: StitchingState, requested: str) -> bool:
    major, _, minor = requested.partition(".")
    for offered in state.versions:
        offered_major, _, offered_minor = offered.partition(".")
        if major == offered_major and minor.isdigit() and int(minor) <= int(offered_minor):
            return True
    return False


def handle(state: StitchingState, body: Any, *, fail_with: int | None = None) -> dict[str, Any]:
    """One stitching.cgi call: the response envelope with `data` or `error` (HTTP 200 either way).

    `fail_with` makes a well-formed call fail with that error code (a fault scenario).
    """
    request = body if isinstance(body, dict) else {}
    method = request.get("method")
    requested = request.get("apiVersion")
    answered = requested if isinstance(requested, str) and _version_supported(state, requested) else None
    envelope: dict[str, Any] = {"apiVersion": answered or state.versions[-1], "method": method}
    if isinstance(request.get("context"), str):
        envelope["context"] = request["context"]
    try:
        envelope["data"] = _dispatch(state, request, body, fail_with)
    except StitchingFault as fault:
        envelope["error"] = {"code": fault.code, "message": ERROR_MESSAGES.get(fault.code, "Generic error.")}
    return envelope


def _dispatch(
    state: StitchingState, request: dict[str, Any], body: Any, fail_with: int | None
) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise StitchingFault(4002)
    method = request.get("method")
    if method is None:
        raise StitchingFault(4001)
    if fail_with is not None:
        raise StitchingFault(fail_with)
    if state.fail_next:
        raise StitchingFault(state.fail_next.pop(0))
    if method == "getSupportedVersions":
        return {"apiVersions": list(state.versions)}
    version = request.get("apiVersion")
    if version is None:
        raise StitchingFault(4001)
    if not isinstance(version, str) or not isinstance(method, str):
        raise StitchingFault(4002)
    if not _version_supported(state, version):
        raise StitchingFault(2003)
    handler = HANDLERS.get(method)
    if handler is None or (method != "getCapabilities" and not state.capabilities.get(method, False)):
        raise StitchingFault(2004)
    params = request.get("params", {})
    if not isinstance(params, dict):
        raise StitchingFault(4002)
    data = handler(state, params)
    if method.startswith(("set", "rotate", "restore")):
        state.revision += 1
    return data
