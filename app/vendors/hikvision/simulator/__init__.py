"""The simulated Hik-Partner Pro cloud (token host + area host on one ASGI app)."""

from app.vendors.hikvision.simulator.app import AREA_PREFIX, HikPartnerSimulator

__all__ = ["AREA_PREFIX", "HikPartnerSimulator"]
