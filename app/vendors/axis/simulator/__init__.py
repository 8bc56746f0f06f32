"""A faithful simulated Axis multisensor camera (stitching API, VAPIX identity, synthetic panorama)."""

from app.vendors.axis.simulator.device import SCENARIOS, AxisSimulator

__all__ = ["SCENARIOS", "AxisSimulator"]
