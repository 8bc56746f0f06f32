"""The simulated Mediant's /kpi resources (document section 12, Performance Monitoring): current values.

Values are counters that grow with the device's clock (calls, registrations), so a refresh shows them move.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.vendors.audiocodes.simulator.common import ALL_METHODS, described
from app.vendors.audiocodes.simulator.state import MediantState

#: application -> group -> PM id -> (name, description, calls per hour that make it grow, floor).
_GLOBAL_PMS: dict[str, dict[str, dict[str, tuple[str, str, float]]]] = {
    "sbc": {
        "callStats": {
            "activeCallsIn": ("Active Calls In", "Number of active inbound calls", 0.0),
            "activeCallsOut": ("Active Calls Out", "Number of active outbound calls", 0.0),
            "attemptedCallsInTotal": (
                "Attempted Calls In Total",
                "Total number of inbound call attempts",
                240.0,
            ),
            "attemptedCallsOutTotal": (
                "Attempted Calls Out Total",
                "Total number of outbound call attempts",
                180.0,
            ),
            "establishedCallsInTotal": (
                "Established Calls In Total",
                "Total number of established inbound calls",
                200.0,
            ),
            "establishedCallsOutTotal": (
                "Established Calls Out Total",
                "Total number of established outbound calls",
                150.0,
            ),
            "abnormalTerminatedCallsInTotal": (
                "Abnormal Terminated Calls In Total",
                "Total number of abnormally terminated inbound calls (after connect)",
                2.0,
            ),
        },
        "otherStats": {
            "registeredUsers": ("Registered Users", "Number of users registered through the SBC", 0.0),
            "registrationAttemptsTotal": (
                "Registration Attempts Total",
                "Total number of REGISTER requests",
                600.0,
            ),
            "registrationFailuresTotal": (
                "Registration Failures Total",
                "Total number of failed registrations",
                3.0,
            ),
        },
    },
}
_APPLICATIONS = {"sbc": "SBC application", "media": "Media"}


class KpiRoutes:
    """GET /kpi, /kpi/current and the tree below it down to each group's global PMs, with cursors."""

    def __init__(self, state: MediantState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        """The Starlette routes of /api/v1/kpi."""
        k = "/api/v1/kpi"
        return [
            Route(k, self.root, methods=ALL_METHODS),
            Route(k + "/current", self.applications, methods=ALL_METHODS),
            Route(k + "/current/{app:str}", self.groups, methods=ALL_METHODS),
            Route(k + "/current/{app:str}/{group:str}", self.entities, methods=ALL_METHODS),
            Route(k + "/current/{app:str}/{group:str}/global", self.global_pms, methods=ALL_METHODS),
        ]

    async def root(self, request: Request) -> Response:
        """GET /kpi: current, history and interval."""
        names = (
            ("current", "Real-time KPIs"),
            ("history", "Historical KPIs"),
            ("interval", "Intervals Information"),
        )
        return JSONResponse({"items": [_item(i, d, f"/api/v1/kpi/{i}") for i, d in names]})

    async def applications(self, request: Request) -> Response:
        """GET /kpi/current: the applications."""
        return JSONResponse(
            {"items": [_item(i, d, f"/api/v1/kpi/current/{i}") for i, d in _APPLICATIONS.items()]}
        )

    async def groups(self, request: Request) -> Response:
        """GET /kpi/current/<app>: its groups (204 when it has none)."""
        app = str(request.path_params["app"])
        if app not in _APPLICATIONS:
            return described("Bad Request: invalid path", 400)
        groups = _GLOBAL_PMS.get(app, {})
        if not groups:
            return Response(status_code=204)
        return JSONResponse({"items": [_item(g, g, f"/api/v1/kpi/current/{app}/{g}") for g in groups]})

    async def entities(self, request: Request) -> Response:
        """GET /kpi/current/<app>/<group>: its global PMs (element PMs are not simulated)."""
        app, group = str(request.path_params["app"]), str(request.path_params["group"])
        if group not in _GLOBAL_PMS.get(app, {}):
            return described("Bad Request: invalid path", 400)
        url = f"/api/v1/kpi/current/{app}/{group}/global"
        return JSONResponse({"items": [_item("global", "Global", url)]})

    async def global_pms(self, request: Request) -> Response:
        """GET .../global: the PMs and their current values; `limit` and `after` page with a cursor."""
        app, group = str(request.path_params["app"]), str(request.path_params["group"])
        pms = _GLOBAL_PMS.get(app, {}).get(group)
        if pms is None:
            return described("Bad Request: invalid path", 400)
        names = list(pms)
        after = request.query_params.get("after", "")
        start = names.index(after) + 1 if after in names else 0
        try:
            limit = int(request.query_params.get("limit", len(names)))
        except ValueError:
            return described("Bad Request: bad query parameter", 400)
        shown = names[start : start + max(limit, 1)]
        base = f"/api/v1/kpi/current/{app}/{group}/global"
        items = [
            {
                **_item(pm, pms[pm][0], f"{base}/{pm}"),
                "description": pms[pm][1],
                "value": self._value(pm, pms[pm][2]),
            }
            for pm in shown
        ]
        following = start + len(shown)
        cursor = {
            "start": names[0],
            "before": names[start - 1] if start > 0 else "-1",
            "after": names[following - 1] if following < len(names) else "-1",
            "end": names[-1],
        }
        return JSONResponse({"items": items, "cursor": [cursor]})

    def _value(self, pm: str, per_hour: float) -> str:
        """A counter growing with uptime, or a live gauge (active calls, registered users)."""
        hours = self.state.uptime() / 3600
        if per_hour:
            return str(int(hours * per_hour))
        live = {"activeCallsIn": 4, "activeCallsOut": 3, "registeredUsers": 57}
        busy = 1 if self.state.calls_remaining() > 0 else 0
        return str(live.get(pm, 0) * (1 + busy))


def _item(item_id: str, name: str, url: str) -> dict[str, str]:
    return {"id": item_id, "name": name, "description": name, "url": url}
