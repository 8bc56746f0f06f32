"""The simulated MSK-101-POE (Starlette ASGI app with an injected clock and seed)."""

from app.vendors.inxpect.simulator.device import InxpectSimulator

__all__ = ["InxpectSimulator"]
