"""The Qt-free alignment session behind the nudge pad: limits, nudge history with undo/redo, the record."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from app.backend.history import HistoryEntry
from app.core.errors import InvalidParameterError, NotSupportedError
from app.vendors.axis.models import RotationAxis, StitchingCapabilities

ALIGNMENT_ACTION = "Stitching alignment recorded"
RESTORE_ACTION = "Stitching sensor restored"
STEP_SIZES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
#: Soft limits the stitching document names ("AXIS Q3819-PVE ... ± 1.4 degrees when using pan").
SOFT_LIMITS: dict[str, dict[RotationAxis, float]] = {"Q3819-PVE": {RotationAxis.PAN: 1.4}}
_EPSILON = 1e-9


class StitchingClient(Protocol):
    """The part of AxisClient the alignment session uses."""

    async def get_capabilities(self) -> StitchingCapabilities:
        """Supported methods and limits."""
        ...

    async def get_blending_amount(self) -> float:
        """Current blending amount."""
        ...

    async def set_blending_amount(self, amount: float) -> None:
        """Set the blending amount."""
        ...

    async def get_parallax_compensation_distance(self) -> float:
        """Current parallax compensation distance (m)."""
        ...

    async def set_parallax_compensation_distance(self, metres: float) -> None:
        """Set the parallax compensation distance (m)."""
        ...

    async def rotate_angle(self, sensor_id: int, axis: RotationAxis, angle: float) -> None:
        """Rotate one sensor image."""
        ...

    async def restore(self, sensor_id: int) -> None:
        """Restore one sensor to factory."""
        ...


@dataclass(frozen=True, slots=True)
class Nudge:
    """One rotation sent to the camera: sensor, axis and signed angle in degrees."""

    sensor_id: int
    axis: RotationAxis
    angle: float

    def inverse(self) -> Nudge:
        """The rotation that undoes this one."""
        return Nudge(self.sensor_id, self.axis, -self.angle)


@dataclass(frozen=True, slots=True)
class NudgeResult:
    """What a nudge, undo or redo left: the sensor's new offset on that axis and any soft-limit warning."""

    nudge: Nudge
    offset: float
    warning: str = ""


def soft_limit_for(model: str, axis: RotationAxis) -> float | None:
    """The product's documented soft limit (degrees) on `axis`, or None when the document names none."""
    for product, limits in SOFT_LIMITS.items():
        if product in model.upper():
            return limits.get(axis)
    return None


def baseline_from_history(entries: Iterable[HistoryEntry]) -> dict[int, dict[RotationAxis, float]]:
    """Offsets this app last recorded per sensor (newest entries first), minus sensors restored since."""
    restored: set[int] = set()
    for entry in entries:
        if entry.action == RESTORE_ACTION and isinstance(entry.detail.get("sensor"), int):
            restored.add(entry.detail["sensor"])
        elif entry.action == ALIGNMENT_ACTION and entry.result == "recorded":
            return {
                int(sensor): {axis: float(values.get(axis.value, 0.0)) for axis in RotationAxis}
                for sensor, values in entry.detail.get("sensors", {}).items()
                if int(sensor) not in restored
            }
    return {}


class AlignmentSession:
    """Nudges, undo/redo (by sending the inverse rotation), restore and blending/parallax for one camera.

    Device calls are serialised, so nudges reach the camera in the order they were made. Offsets are
    what this app has applied since factory (the camera does not report its current rotation).
    """

    def __init__(
        self,
        client: StitchingClient,
        model: str,
        baseline: Mapping[int, Mapping[RotationAxis, float]] | None = None,
    ) -> None:
        self.client = client
        self.model = model
        self.capabilities: StitchingCapabilities | None = None
        self.blending: float | None = None
        self.parallax: float | None = None
        self.changed = False
        self._baseline = {k: dict(v) for k, v in (baseline or {}).items()}
        self._offsets: dict[int, dict[RotationAxis, float]] = {}
        self._undo: list[Nudge] = []
        self._redo: list[Nudge] = []
        self._lock = asyncio.Lock()

    async def load(self) -> StitchingCapabilities:
        """Read capabilities, then the blending amount and parallax distance where supported."""
        async with self._lock:
            capabilities = await self.client.get_capabilities()
            self.capabilities = capabilities
            self._offsets = {
                sensor: {axis: self._baseline.get(sensor, {}).get(axis, 0.0) for axis in RotationAxis}
                for sensor in capabilities.limits.sensor_ids
            }
            await self._read_settings()
            return capabilities

    async def _read_settings(self) -> None:
        capabilities = self._require_capabilities()
        if capabilities.supports("getBlendingAmount"):
            self.blending = await self.client.get_blending_amount()
        if capabilities.supports("getParallaxCompensationDistance"):
            self.parallax = await self.client.get_parallax_compensation_distance()

    @property
    def sensor_ids(self) -> list[int]:
        """The camera's sensor ids (empty before `load`)."""
        return sorted(self._offsets)

    @property
    def can_undo(self) -> bool:
        """True when there is a nudge to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """True when there is an undone nudge to apply again."""
        return bool(self._redo)

    def offset(self, sensor_id: int, axis: RotationAxis) -> float:
        """The sensor's offset on `axis` (degrees) as this app has applied it since factory."""
        return self._offsets[sensor_id][axis]

    def unsupported_reason(self, method: str) -> str:
        """Why a control must stay disabled: "" when the camera supports `method`."""
        if self.capabilities is None:
            return "The camera's capabilities have not been read yet."
        if not self.capabilities.supports(method):
            return f"This camera does not support {method} (getCapabilities reports it as unavailable)."
        return ""

    def refusal(self, nudge: Nudge) -> str:
        """Why `nudge` must not be sent (getCapabilities ranges kept on the running total), or ""."""
        reason = self.unsupported_reason("rotateAngle")
        if reason:
            return reason
        limits = self._require_capabilities().limits
        if nudge.sensor_id not in limits.sensor_ids:
            return f"Sensor {nudge.sensor_id} is outside the camera's ids {limits.id_min}-{limits.id_max}."
        total = self._offsets[nudge.sensor_id][nudge.axis] + nudge.angle
        # Assumed: the document limits one rotateAngle value; the app also keeps its running total inside.
        if not limits.angle_min - _EPSILON <= total <= limits.angle_max + _EPSILON:
            return (
                f"Not sent: sensor {nudge.sensor_id} {nudge.axis.value} would total {total:+.2f}° of "
                f"rotation from this app, outside the {limits.angle_min:+g}° to {limits.angle_max:+g}° "
                "the camera gives for rotateAngle (this app keeps the total inside that range)."
            )
        return ""

    def warning(self, sensor_id: int, axis: RotationAxis) -> str:
        """A soft-limit warning for the sensor's offset on `axis`, or ""."""
        limit = soft_limit_for(self.model, axis)
        value = self._offsets[sensor_id][axis]
        if limit is None or abs(value) <= limit + _EPSILON:
            return ""
        return (
            f"Sensor {sensor_id} {axis.value} {value:+.2f}° is past the {self.model} soft limit "
            f"±{limit}°; the document warns this can cause unknown behaviour in the image."
        )

    async def nudge(self, sensor_id: int, axis: RotationAxis, angle: float) -> NudgeResult:
        """Rotate one sensor by `angle` degrees and add it to the undo history (clears redo)."""
        async with self._lock:
            result = await self._apply(Nudge(sensor_id, axis, angle))
            self._undo.append(result.nudge)
            self._redo.clear()
            return result

    async def undo(self) -> NudgeResult | None:
        """Send the inverse of the last nudge; None when there is nothing to undo."""
        async with self._lock:
            if not self._undo:
                return None
            nudge = self._undo[-1]
            result = await self._apply(nudge.inverse())
            self._redo.append(self._undo.pop())
            return result

    async def redo(self) -> NudgeResult | None:
        """Send the last undone nudge again; None when there is nothing to redo."""
        async with self._lock:
            if not self._redo:
                return None
            nudge = self._redo[-1]
            result = await self._apply(nudge)
            self._undo.append(self._redo.pop())
            return result

    async def _apply(self, nudge: Nudge) -> NudgeResult:
        reason = self.refusal(nudge)
        if reason:
            raise InvalidParameterError(reason)
        await self.client.rotate_angle(nudge.sensor_id, nudge.axis, nudge.angle)
        offsets = self._offsets[nudge.sensor_id]
        offsets[nudge.axis] = round(offsets[nudge.axis] + nudge.angle, 9)
        self.changed = True
        return NudgeResult(nudge, offsets[nudge.axis], self.warning(nudge.sensor_id, nudge.axis))

    async def restore(self, sensor_id: int) -> None:
        """Restore one sensor to factory; forget its history; re-read blending and parallax (restored too)."""
        async with self._lock:
            self._require_supported("restore")
            await self.client.restore(sensor_id)
            self._offsets[sensor_id] = dict.fromkeys(RotationAxis, 0.0)
            self._undo = [n for n in self._undo if n.sensor_id != sensor_id]
            self._redo = [n for n in self._redo if n.sensor_id != sensor_id]
            self.changed = True
            await self._read_settings()

    async def set_blending(self, amount: float) -> None:
        """Set the blending amount (within the camera's limits)."""
        async with self._lock:
            self._require_supported("setBlendingAmount")
            limits = self._require_capabilities().limits
            _check_range("Blending amount", amount, limits.blending_min, limits.blending_max, "")
            await self.client.set_blending_amount(amount)
            self.blending = amount
            self.changed = True

    async def set_parallax(self, metres: float) -> None:
        """Set the parallax compensation distance (within the camera's limits)."""
        async with self._lock:
            self._require_supported("setParallaxCompensationDistance")
            limits = self._require_capabilities().limits
            _check_range("Parallax distance", metres, limits.parallax_min, limits.parallax_max, " m")
            await self.client.set_parallax_compensation_distance(metres)
            self.parallax = metres
            self.changed = True

    def record(self, api_version: str = "") -> dict[str, Any]:
        """The final alignment for the device history: per-sensor offsets, blending, parallax."""
        return {
            "sensors": {
                str(s): {a.value: round(v, 6) for a, v in axes.items()} for s, axes in self._offsets.items()
            },
            "blendingAmount": self.blending,
            "parallaxCompensationDistance": self.parallax,
            "apiVersion": api_version,
            "nudges": len(self._undo),
        }

    def _require_capabilities(self) -> StitchingCapabilities:
        if self.capabilities is None:
            raise NotSupportedError("The camera's stitching capabilities have not been read yet.")
        return self.capabilities

    def _require_supported(self, method: str) -> None:
        reason = self.unsupported_reason(method)
        if reason:
            raise NotSupportedError(reason)


def _check_range(name: str, value: float, low: float, high: float, unit: str) -> None:
    if not low <= value <= high:
        raise InvalidParameterError(
            f"{name} {value:g}{unit} is outside the camera's range {low:g} to {high:g}{unit}."
        )
