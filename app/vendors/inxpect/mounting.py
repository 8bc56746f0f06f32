"""Mounting check (Qt-free): the live position against the configured mounting and supported installations."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final, NoReturn

from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.models import (
    InstallationConfiguration,
    Orientation,
    SensorConfiguration,
    SensorPosition,
)

TOLERANCE_DEG: Final = 3


def mounting_verdict(
    position: SensorPosition,
    configuration: SensorConfiguration,
    installations: tuple[InstallationConfiguration, ...],
) -> tuple[bool, str]:
    """(ok, words) comparing the live position with the configuration and the supported installations."""
    problems = []
    tilt_off = position.elevation - configuration.mount_elevation
    if abs(tilt_off) > TOLERANCE_DEG:
        way = "further down" if tilt_off < 0 else "further up"
        problems.append(f"tilted {abs(tilt_off)}° {way} than configured ({configuration.mount_elevation}°)")
    turn_off = position.rotation - configuration.mount_rotation
    if abs(turn_off) > TOLERANCE_DEG:
        problems.append(f"rotated {turn_off:+d}° from the configured {configuration.mount_rotation}°")
    fitting = [
        i for i in installations if i.fits(configuration.mount_height, position.elevation, position.rotation)
    ]
    if not fitting:
        orientation = Orientation.from_rotation(position.rotation)
        kind = "barrier (vertical)" if orientation is Orientation.VERTICAL else "volumetric (horizontal)"
        problems.append(
            f"no supported {kind} installation at {configuration.mount_height / 1000:.2f} m with "
            f"{-position.elevation}° down tilt"
        )
    if problems:
        return False, "⚠ Sensor " + "; ".join(problems) + ". Adjust the bracket."
    return True, f"✓ Mounting is right: {fitting[0].describe()}."


async def watch_position(
    client: InxpectClient, show: Callable[[SensorPosition], None], period: float
) -> NoReturn:
    """Read the live position every `period` seconds and hand each reading to `show`, until cancelled."""
    while True:
        show(await client.read_position())
        await asyncio.sleep(period)
