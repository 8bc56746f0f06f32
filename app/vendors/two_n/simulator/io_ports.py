"""Simulated logic inputs and outputs (document §5.5): their levels, io/caps, io/status and io/ctrl."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from app.vendors.simulation import Scenario
from app.vendors.two_n.simulator.envelope import Params, SimulatorError, ok

if TYPE_CHECKING:
    from app.vendors.two_n.simulator.device import Handler, TwoNSimulator

#: The first input of every model reads 1 while this scenario is on (a door contact closing, a button held).
INPUT1_ACTIVE = "input1_active"
SCENARIOS = (Scenario(INPUT1_ACTIVE, "logic input input1 is active (log. 1) until switched off"),)
#: io/ctrl actions (§5.5.3): `on` = log. 1, `off` = log. 0.
_ACTIONS = {"on": True, "off": False}


class PortLevels:
    """The logic level of every input and output of the model; all are 0 after a boot."""

    def __init__(self, sim: TwoNSimulator) -> None:
        self.sim = sim
        self.inputs: dict[str, bool] = dict.fromkeys(sim.profile.inputs, False)
        self.outputs: dict[str, bool] = dict.fromkeys(sim.profile.outputs, False)

    def ports(self) -> list[dict[str, Any]]:
        """io/caps items: inputs first, then outputs, as the model lists them."""
        ports = [{"port": name, "type": "input"} for name in self.inputs]
        return ports + [{"port": name, "type": "output"} for name in self.outputs]

    def level(self, port: str) -> bool:
        """The level of `port` (KeyError for a port the model does not have)."""
        return self.inputs[port] if port in self.inputs else self.outputs[port]

    def set_output(self, port: str, level: bool) -> None:
        """Drive an output and report a change as OutputChanged (boolean `state`, §5.10 events)."""
        if self.outputs[port] != level:
            self.outputs[port] = level
            self.sim.events.emit("OutputChanged", {"port": port, "state": level})

    def set_input(self, port: str, level: bool) -> None:
        """What the wiring does to an input, reported as InputChanged."""
        if self.inputs[port] != level:
            self.inputs[port] = level
            self.sim.events.emit("InputChanged", {"port": port, "state": level})

    def switch_changed(self, switch: int, active: bool) -> None:
        """A switch drives the relay of its number (relay1 for switch 1).

        Assumed: the document does not say how switches and io/ctrl share a relay; the last command
        wins (a switch change sets the relay, an io/ctrl later overrides it until the next change).
        """
        port = f"relay{switch}"
        if port in self.outputs:
            self.set_output(port, active)

    def scenario_changed(self, name: str, on: bool) -> None:
        """INPUT1_ACTIVE drives the first input."""
        if name == INPUT1_ACTIVE and self.inputs:
            self.set_input(next(iter(self.inputs)), on)

    def after_reboot(self) -> None:
        """Outputs come up at log. 0; inputs keep what the wiring gives them."""
        self.outputs = dict.fromkeys(self.outputs, False)


def _wanted(sim: TwoNSimulator, params: Params) -> list[dict[str, Any]]:
    """Every port, or just the `port` asked for; error 12 (param port) for a name the model lacks."""
    wanted = params.text("port")
    ports = [p for p in sim.ports.ports() if wanted is None or p["port"] == wanted]
    if wanted is not None and not ports:
        raise SimulatorError(12, "port")
    return ports


async def io_caps(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/io/caps (§5.5.1); the table spells the parameter `Port`, the text `port`: `port` is read."""
    return ok(sim.state.sw_version, {"ports": _wanted(sim, params)})


async def io_status(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/io/status (§5.5.2): `state` as integer 0/1 (the events use booleans)."""
    ports = [{"port": p["port"], "state": int(sim.ports.level(p["port"]))} for p in _wanted(sim, params)]
    return ok(sim.state.sw_version, {"ports": ports})


async def io_ctrl(sim: TwoNSimulator, params: Params, request: Request) -> Response:
    """/api/io/ctrl (§5.5.3): `port` and `action` mandatory (11); an unknown port, an input or another
    action is error 12 naming the parameter; `response` replaces the JSON with its text."""
    port = params.text("port", required=True)
    action = params.text("action", required=True)
    assert port is not None
    assert action is not None
    if port not in sim.ports.outputs:
        raise SimulatorError(12, "port")
    if action not in _ACTIONS:
        raise SimulatorError(12, "action")
    sim.ports.set_output(port, _ACTIONS[action])
    text = params.text("response")
    if text is not None:
        return Response(text, 200, {"Server": f"HIP{sim.state.sw_version}"}, media_type="text/plain")
    return ok(sim.state.sw_version)


HANDLERS: dict[str, Handler] = {"/api/io/caps": io_caps, "/api/io/status": io_status, "/api/io/ctrl": io_ctrl}
