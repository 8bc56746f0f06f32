"""The simulated Mediant's REST root, status, license, actions and alarms (document sections 4-9, 11)."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from app.vendors.audiocodes.simulator.common import ALL_METHODS, described, json_body, uploaded_file
from app.vendors.audiocodes.simulator.licensing import decode_license_key, keys_in_file
from app.vendors.audiocodes.simulator.state import Alarm, MediantState

AUTH_TOKEN_LIFETIME = 10.0
_PRIV_LEVELS = ("admin", "operator", "monitor")


class CoreRoutes:
    """Status, license, actions, alarms and the web login that consumes auth tokens."""

    def __init__(self, state: MediantState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        """The Starlette routes of this group."""
        v1 = "/api/v1"
        return [
            Route("/api", self.api_root, methods=ALL_METHODS),
            Route(v1, self.tree, methods=ALL_METHODS),
            Route(v1 + "/status", self.status, methods=ALL_METHODS),
            Route(v1 + "/license", self.license, methods=ALL_METHODS),
            Route(v1 + "/actions", self.actions, methods=ALL_METHODS),
            Route(v1 + "/actions/reset", self.reset, methods=ALL_METHODS),
            Route(v1 + "/actions/saveConfiguration", self.save_configuration, methods=ALL_METHODS),
            Route(v1 + "/actions/authToken", self.auth_token, methods=ALL_METHODS),
            Route(v1 + "/alarms", self.alarm_folders, methods=ALL_METHODS),
            Route(v1 + "/alarms/active/lastChange", self.last_change, methods=ALL_METHODS),
            Route(v1 + "/alarms/{kind:str}", self.alarm_page, methods=ALL_METHODS),
            Route(v1 + "/alarms/{kind:str}/{alarm_id:str}", self.alarm_detail, methods=ALL_METHODS),
            Route("/index.html", self.web_login, methods=["GET"]),
        ]

    async def api_root(self, request: Request) -> Response:
        """GET /api: the version list (section 4), answered without credentials."""
        return JSONResponse({"versions": [{"id": "v1", "status": "stable", "url": "/api/v1"}]})

    async def tree(self, request: Request) -> Response:
        """GET /api/v1: the navigation tree (section 5)."""
        names = (
            ("actions", "Device actions"),
            ("alarms", "Device alarms"),
            ("files", "Upload and download of configuration files"),
            ("license", "License management"),
            ("status", "Device status"),
            ("kpi", "key indicators performance"),
        )
        return JSONResponse({"items": [{"id": i, "description": d, "url": f"/api/v1/{i}"} for i, d in names]})

    async def status(self, request: Request) -> Response:
        """GET /status (section 9)."""
        self.state.finish_switchover()
        s = self.state
        return JSONResponse(
            {
                "localTimeStamp": s.device_time_text(),
                "ipAddress": s.ip_address,
                "subnetMask": "255.255.0.0",
                "defaultGateway": "127.0.0.1",
                "productType": s.product,
                "versionID": s.version,
                "protocolType": "SIP",
                "operationalState": "UNLOCKED",
                "highAvailability": "Operational" if self.state.ha_pair else "Not Operational",
                "serialNumber": s.serial,
                "macAddress": s.mac,
                "systemUpTime": s.uptime(),
                "saveNeeded": s.save_needed,
                "resetNeeded": False,
                "upgradeStatus": "None",
                "mcUpgradeStatus": "None",
            }
        )

    async def license(self, request: Request) -> Response:
        """GET the license; PUT a key as JSON (standalone only) or a license file (multipart)."""
        s = self.state
        if request.method == "GET":
            return JSONResponse(
                {
                    "licenseVersion": 1,
                    "serialNumber": s.serial,
                    "key": s.license_key,
                    "keyDescription": s.license_features,
                    "macAddress": s.mac,
                }
            )
        upload = await uploaded_file(request)
        if upload is not None:
            key = keys_in_file(upload[0]).get(s.serial, "")
            return self._install_key(key, "License file holds no valid key for this device")
        if self.state.ha_pair:
            return described(
                "License key can't be applied to device in HA configuration. Use license file instead.", 409
            )
        body = await json_body(request)
        if body is None or str(body.get("licenseVersion", "")) != "1" or not isinstance(body.get("key"), str):
            return described("Bad request: provided license key is incorrect", 400)
        if body.get("serialNumber") not in (None, s.serial):
            return described("Bad request: serial number does not match the device", 400)
        return self._install_key(str(body["key"]), "Bad request: provided license key is incorrect")

    def _install_key(self, key: str, failure: str) -> Response:
        decoded = decode_license_key(key) if key else None
        if decoded is None or decoded.serial != self.state.serial:
            return described(failure, 400)
        self.state.install_license(key, decoded.features)
        return Response(status_code=200)

    async def actions(self, request: Request) -> Response:
        """GET /actions: the list of actions (section 6)."""
        names = (
            ("reset", "Reset device"),
            ("saveConfiguration", "Save device configuration to NVRAM"),
            ("authToken", "Get authentication token"),
        )
        return JSONResponse(
            {"actions": [{"id": i, "description": d, "url": f"/api/v1/actions/{i}"} for i, d in names]}
        )

    async def reset(self, request: Request) -> Response:
        """POST /actions/reset {saveConfiguration, gracefulTimeout}."""
        body = await json_body(request) if await request.body() else {}
        save, graceful = (body or {}).get("saveConfiguration", True), (body or {}).get("gracefulTimeout", 0)
        if body is None or not isinstance(save, bool) or not isinstance(graceful, int) or graceful < 0:
            return described("Bad request: provided attributes or values are incorrect", 400)
        calls_left = self.state.calls_remaining()
        delay = 0.0 if graceful == 0 else calls_left if graceful == 1 else min(float(graceful), calls_left)
        self.state.schedule_restart(save=save, delay=delay)
        return described("Device will reset now" if delay == 0 else "Device will reset when calls end")

    async def save_configuration(self, request: Request) -> Response:
        """POST /actions/saveConfiguration: must carry Content-Length: 0."""
        if request.headers.get("content-length") != "0":
            return described("Bad request: request must include Content-Length: 0", 400)
        self.state.save_configuration()
        return Response(status_code=200)

    async def auth_token(self, request: Request) -> Response:
        """POST /actions/authToken: a token the web interface accepts once, within ten seconds."""
        body = await json_body(request)
        if (
            body is None
            or not isinstance(body.get("username"), str)
            or body.get("privLevel") not in _PRIV_LEVELS
        ):
            return described("Bad request: provided attributes or values are incorrect", 400)
        token = secrets.token_hex(16)
        self.state.auth_tokens[token] = self.state.clock.monotonic() + AUTH_TOKEN_LIFETIME
        return JSONResponse(
            {"authToken": token, "description": "Authentication token successfully generated"}
        )

    async def web_login(self, request: Request) -> Response:
        """The web interface entry: logs in with a fresh authToken, else shows the login page."""
        token = request.query_params.get("authToken", "")
        expires = self.state.auth_tokens.pop(token, None)
        if expires is not None and self.state.clock.monotonic() <= expires:
            return HTMLResponse(
                f"<h1>{self.state.product}</h1><p>Logged in with a token (simulated web interface).</p>"
            )
        return HTMLResponse("<h1>Login</h1><p>Token missing or expired.</p>", status_code=401)

    async def alarm_folders(self, request: Request) -> Response:
        """GET /alarms."""
        return JSONResponse(
            {
                "alarms": [
                    {"id": "active", "description": "Active alarms", "url": "/api/v1/alarms/active"},
                    {"id": "history", "description": "History alarms", "url": "/api/v1/alarms/history"},
                ]
            }
        )

    async def last_change(self, request: Request) -> Response:
        """GET /alarms/active/lastChange."""
        if not self.state.last_alarm_change:
            return described("Not found", 404)
        return JSONResponse({"lastChange": self.state.last_alarm_change})

    async def alarm_page(self, request: Request) -> Response:
        """GET /alarms/<active|history>?limit&after|before: a page and its cursor; 204 when empty."""
        kind = str(request.path_params["kind"])
        if kind not in ("active", "history"):
            return described("Not found", 404)
        try:
            limit = int(request.query_params.get("limit", "20"))
            after = int(request.query_params.get("after", "0"))
            before = int(request.query_params.get("before", "0"))
        except ValueError:
            return described("Bad request: bad query parameter", 400)
        alarms = self.state.alarm_list(kind)
        if before > 0:
            page = [a for a in alarms if a.id < before][-max(limit, 1) :]
        else:
            page = [a for a in alarms if a.id > after][: max(limit, 1)]
        if not page:
            return Response(status_code=204)
        more_after = any(a.id > page[-1].id for a in alarms)
        more_before = any(a.id < page[0].id for a in alarms)
        return JSONResponse(
            {
                "alarms": [
                    {"id": str(a.id), "description": a.description, "url": f"/api/v1/alarms/{kind}/{a.id}"}
                    for a in page
                ],
                "cursor": {
                    "after": str(page[-1].id) if more_after else "-1",
                    "before": str(page[0].id) if more_before else "-1",
                },
            }
        )

    async def alarm_detail(self, request: Request) -> Response:
        """GET /alarms/<active|history>/<id>[?oid=1]."""
        kind, alarm_id = str(request.path_params["kind"]), str(request.path_params["alarm_id"])
        found: Alarm | None = next((a for a in self.state.alarm_list(kind) if str(a.id) == alarm_id), None)
        if kind not in ("active", "history") or found is None:
            return described("Alarm not found", 404)
        body = {
            "id": str(found.id),
            "description": found.description,
            "severity": found.severity,
            "source": found.source,
            "date": found.date,
            "url": f"/api/v1/alarms/{kind}/{found.id}",
        }
        if request.query_params.get("oid") == "1":
            body["oid"] = f"1.3.6.1.4.1.5003.9.10.1.21.2.0.{40 + found.id % 30}"
        return JSONResponse(body)
