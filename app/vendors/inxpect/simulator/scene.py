"""A radar scene for the simulated MSK-101-POE: actors that move with time and reflect like real targets."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

#: What the radar reports as `rcs` for the calibration object once the sensor is calibrated (§3.1:
#: "on average greater than 1000"): reflectivity is scaled by coefficient / NOMINAL_COEFFICIENT.
NOMINAL_COEFFICIENT: Final = 1000
CALIBRATION_OBJECT_REFLECTIVITY: Final = 1200


@dataclass(frozen=True, slots=True)
class SceneTarget:
    """One actor's echo in one frame: track id, distance in mm, reflectivity before calibration scaling."""

    id: int
    distance: int
    reflectivity: float


Path = Callable[[float], float]


@dataclass(frozen=True, slots=True)
class Actor:
    """Something that moves in the field: a distance path (mm over seconds) while active, and its size.

    It is present for `active` seconds of every `period`, shifted by `phase`; each appearance is a new
    track and so gets a new id, as a real tracker assigns one to a target it had lost.
    """

    name: str
    base_id: int
    path: Path
    reflectivity: float
    period: float = 0.0
    active: float = 0.0
    phase: float = 0.0

    def at(self, t: float) -> tuple[int, float] | None:
        """(track id, distance mm) at time t, or None when the actor is out of the field."""
        if self.period <= 0:
            return self.base_id, self.path(t)
        shifted = t + self.phase
        cycle, within = divmod(shifted, self.period)
        if within >= self.active:
            return None
        return self.base_id + 16 * (int(cycle) % 15), self.path(within)


def back_and_forth(near_mm: float, far_mm: float, speed_mm_s: float, offset_s: float = 0.0) -> Path:
    """A walk between two distances at constant speed, turning at each end (a triangle wave)."""
    span = far_mm - near_mm
    period = 2 * span / speed_mm_s

    def path(t: float) -> float:
        phase = ((t + offset_s) % period) / period
        return near_mm + span * (2 * phase if phase < 0.5 else 2 - 2 * phase)

    return path


def wandering(centre_mm: float, radius_mm: float, seed: int) -> Path:
    """A pet's meander: two slow sines with seeded frequencies and phases around a centre."""
    rng = random.Random(seed)
    f1, f2 = rng.uniform(0.05, 0.12), rng.uniform(0.17, 0.31)
    p1, p2 = rng.uniform(0, math.tau), rng.uniform(0, math.tau)

    def path(t: float) -> float:
        return centre_mm + radius_mm * (
            0.65 * math.sin(f1 * math.tau * t + p1) + 0.35 * math.sin(f2 * math.tau * t + p2)
        )

    return path


def crossing(closest_mm: float, lateral_mm: float, duration_s: float) -> Path:
    """A vehicle passing across the far end: range is closest at mid-crossing (sqrt of along² + lateral²)."""

    def path(t: float) -> float:
        along = lateral_mm * (2 * t / duration_s - 1)
        return math.hypot(closest_mm, along)

    return path


def site_scene(seed: int) -> tuple[Actor, ...]:
    """A person walking (35 s of every 50) with a dog for the first 25 s, and a car passing at the far end
    (6 s of every 45): the field is quiet for about 15 s of every 50, long enough to start a calibration."""
    rng = random.Random(seed)
    walk = back_and_forth(2500, 11500, 1300, rng.uniform(0, 10))
    visit = rng.uniform(0, 10)
    return (
        Actor(
            "person",
            1,
            walk,
            1900,
            period=50,
            active=35,
            phase=visit,
        ),
        Actor("pet", 2, wandering(2600, 1400, seed), 330, period=50, active=25, phase=visit),
        Actor("car", 3, crossing(16500, 6000, 6), 9500, period=45, active=6, phase=rng.uniform(0, 45)),
    )


def calibration_scene(seed: int) -> tuple[Actor, ...]:
    """Only the technician walking the calibration object from 1 m to 12 m and back; nothing else moves."""
    rng = random.Random(seed)
    return (
        Actor(
            "calibration object",
            1,
            back_and_forth(1000, 12000, 1000, rng.uniform(0, 3)),
            CALIBRATION_OBJECT_REFLECTIVITY,
        ),
    )


def crowd_scene(seed: int, count: int = 10) -> tuple[Actor, ...]:
    """`count` people walking at different speeds and ranges (the live-plot benchmark)."""
    rng = random.Random(seed)
    return tuple(
        Actor(
            f"walker {i + 1}",
            i + 1,
            back_and_forth(
                rng.uniform(800, 4000), rng.uniform(9000, 19000), rng.uniform(700, 2200), rng.uniform(0, 20)
            ),
            rng.uniform(900, 3500),
        )
        for i in range(count)
    )


SCENES: Final[dict[str, Callable[[int], tuple[Actor, ...]]]] = {
    "site": site_scene,
    "calibration": calibration_scene,
    "crowd": crowd_scene,
    "empty": lambda seed: (),
}


class RadarScene:
    """The actors in front of the sensor; `targets(frame)` is a pure function of the frame index."""

    def __init__(self, name: str, seed: int, fps: int, max_distance: int, min_distance: int) -> None:
        self.fps = fps
        self._seed = seed
        self._min = min_distance
        self._max = max_distance
        self.name = name
        self.actors = SCENES[name](seed)

    def use(self, name: str) -> None:
        """Switch to another named scene (the technician walks in, a car arrives, everyone leaves)."""
        self.actors = SCENES[name](self._seed)
        self.name = name

    def targets(self, frame: int) -> tuple[SceneTarget, ...]:
        """The echoes of frame `frame` (time = frame / fps), with a little range and size jitter."""
        t = frame / self.fps
        found: list[SceneTarget] = []
        for index, actor in enumerate(self.actors):
            position = actor.at(t)
            if position is None:
                continue
            track_id, distance = position
            jitter = _noise(self._seed, frame, index)
            distance += 25 * jitter
            if self._min <= distance <= self._max:
                found.append(SceneTarget(track_id, round(distance), actor.reflectivity * (1 + 0.12 * jitter)))
        return tuple(found)


def _noise(seed: int, frame: int, index: int) -> float:
    """Deterministic pseudo-noise in [-1, 1) from (seed, frame, actor) without allocating a Random."""
    mixed = (frame * 2654435761 + index * 40503 + seed * 97) & 0xFFFFFFFF
    mixed ^= mixed >> 15
    mixed = (mixed * 2246822519) & 0xFFFFFFFF
    mixed ^= mixed >> 13
    return (mixed % 2000) / 1000 - 1
