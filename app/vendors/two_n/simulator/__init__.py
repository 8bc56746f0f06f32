"""A faithful simulated 2N IP intercom (IP Verso, IP Vario, IP Style) for tests and the demo."""

from app.vendors.two_n.simulator.device import TwoNSimulator
from app.vendors.two_n.simulator.firmware_file import build_firmware

__all__ = ["TwoNSimulator", "build_firmware"]
