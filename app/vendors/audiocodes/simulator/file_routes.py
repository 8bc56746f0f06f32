"""The simulated Mediant's /files resources: INI, CLI script, software load, debug file (section 7)."""

from __future__ import annotations

import re
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.vendors.audiocodes.simulator.common import ALL_METHODS, described, json_body, octets, uploaded_file
from app.vendors.audiocodes.simulator.state import DEBUG_FILE_SECONDS, DebugJob, MediantState

_VERSION_IN_NAME = re.compile(r"(\d+\.\d+A\.\d+\.\d+)")
_RESET_TEXT = "Device will reset now to activate new configuration"


class FileRoutes:
    """Configuration files, software load and debug file of the simulated device."""

    def __init__(self, state: MediantState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        """The Starlette routes of /api/v1/files (except TLS)."""
        f = "/api/v1/files"
        return [
            Route(f, self.listing, methods=ALL_METHODS),
            Route(f + "/ini", self.ini, methods=ALL_METHODS),
            Route(f + "/ini/incremental", self.ini_incremental, methods=ALL_METHODS),
            Route(f + "/cliScript", self.cli_script, methods=ALL_METHODS),
            Route(f + "/cliScript/incremental", self.cli_incremental, methods=ALL_METHODS),
            Route(f + "/software", self.software, methods=ALL_METHODS),
            Route(f + "/software/hitless", self.software_hitless, methods=ALL_METHODS),
            Route(f + "/create/{name:str}", self.create_debug_file, methods=ALL_METHODS),
            Route(f + "/status/{transaction:str}", self.file_status, methods=ALL_METHODS),
            Route("/api/v1/status/debugFile", self.debug_file_status, methods=ALL_METHODS),
        ]

    async def listing(self, request: Request) -> Response:
        """GET /files."""
        names = (
            ("ini", "INI configuration file"),
            ("software", "Software load"),
            ("cliScript", "CLI configuration script"),
            ("tls", "TLS context files"),
        )
        return JSONResponse(
            {"files": [{"id": i, "description": d, "url": f"/api/v1/files/{i}"} for i, d in names]}
        )

    async def ini(self, request: Request) -> Response:
        """GET the INI file; PUT a full one, which resets the device to apply it."""
        if request.method == "GET":
            return octets(self.state.render_ini())
        upload = await uploaded_file(request)
        try:
            params = self.state.parse_ini(upload[0]) if upload else None
        except ValueError as err:
            return described(f"Bad request: provided ini file is incorrect ({err})", 400)
        if not params:
            return described("Bad request: provided ini file is incorrect", 400)
        self.state.params = params
        self.state.schedule_restart(save=True)
        return described(_RESET_TEXT)

    async def ini_incremental(self, request: Request) -> Response:
        """PUT an incremental INI: parameters change now, without a reset (and need saving)."""
        upload = await uploaded_file(request)
        try:
            params = self.state.parse_ini(upload[0]) if upload else None
        except ValueError as err:
            return described(f"Bad request: provided ini file is incorrect ({err})", 400)
        if not params:
            return described("Bad request: provided ini file is incorrect", 400)
        self.state.params.update(params)
        self.state.save_needed = True
        return Response(status_code=200)

    async def cli_script(self, request: Request) -> Response:
        """GET the CLI script; PUT a full one (configuration commands only), which resets the device."""
        if request.method == "GET":
            return octets(self.state.render_cli())
        upload = await uploaded_file(request)
        lines = [
            ln.strip() for ln in (upload[0] if upload else b"").decode("latin-1").splitlines() if ln.strip()
        ]
        if not lines or any(ln.startswith(("show ", "copy ")) for ln in lines):
            return described("Bad request: provided CLI script is incorrect", 400)
        self.state.cli_lines = lines
        self.state.schedule_restart(save=True)
        return described(_RESET_TEXT)

    async def cli_incremental(self, request: Request) -> Response:
        """PUT an incremental CLI script: runs it and returns its output; `copy` is not supported."""
        upload = await uploaded_file(request)
        lines = [
            ln.strip() for ln in (upload[0] if upload else b"").decode("latin-1").splitlines() if ln.strip()
        ]
        if not lines or any(ln.startswith("copy ") for ln in lines):
            return described("Bad request: provided CLI script is incorrect", 400)
        output: list[str] = []
        for line in lines:
            if line == "show system version":
                output.append(self.state.version_report())
            elif line == "show running-config":
                output.append(self.state.render_cli().decode().replace("\r\n", ". "))
            elif not line.startswith("show "):
                self.state.cli_lines.append(line)
                self.state.save_needed = True
        return described("Incremental CLI Script file was loaded.", output=" ".join(output))

    async def software(self, request: Request) -> Response:
        """PUT a .cmp software load; the device resets and comes back running it."""
        version = await _software_version(request)
        if version is None:
            return described(_BAD_LOAD, 400)
        self.state.schedule_restart(save=True, new_version=version)
        return described("Device will reset now to activate new software load")

    async def software_hitless(self, request: Request) -> Response:
        """PUT a .cmp for the hitless procedure (HA systems): the pair switches over, no restart window."""
        version = await _software_version(request)
        if version is None:
            return described(_BAD_LOAD, 400)
        if not self.state.ha_pair:
            # Section 7: "on an HA system"; a standalone device cannot apply it in its current state.
            return described("Hitless upgrade is possible on an HA system only", 409)
        self.state.switch_over(version)
        return described("Device will perform switchover to activate new software load")

    async def create_debug_file(self, request: Request) -> Response:
        """POST /files/create/debugFile[Redundant]: 202 and a Location to poll."""
        name = str(request.path_params["name"])
        if name not in ("debugFile", "debugFileRedundant") or (
            name == "debugFileRedundant" and not self.state.ha_pair
        ):
            return described("Not found", 404)
        body = await json_body(request) if await request.body() else {}
        if body is None:
            return described("Bad request", 400)
        transaction = secrets.token_hex(6)
        content = b"\r\n".join(
            [
                f"Debug file of {self.state.product} {self.state.serial}".encode(),
                f"Core dump attached: {str(body.get('attachCoreDump', False)).lower()}".encode(),
                self.state.render_ini(),
                self.state.version_report().encode(),
            ]
        )
        ready = self.state.clock.monotonic() + DEBUG_FILE_SECONDS
        self.state.debug_jobs[transaction] = DebugJob(transaction, name, ready, content)
        return JSONResponse(
            {"description": f"file {name} is being created", "transactionId": transaction},
            status_code=202,
            headers={"Location": f"/api/v1/files/status/{transaction}"},
        )

    async def file_status(self, request: Request) -> Response:
        """GET /files/status/<transaction>: 204 while creating, 201 with the file once ready."""
        job = self.state.debug_jobs.get(str(request.path_params["transaction"]))
        if job is None:
            return described("Not found", 404)
        if self.state.debug_not_created or self.state.clock.monotonic() < job.ready_at:
            return Response(status_code=204)
        return octets(job.content, status=201)

    async def debug_file_status(self, request: Request) -> Response:
        """GET /status/debugFile: whether the latest debug file is ready."""
        if not self.state.debug_jobs:
            return described("no debug file was requested")
        job = list(self.state.debug_jobs.values())[-1]
        ready = self.state.clock.monotonic() >= job.ready_at
        return described(f"file '{job.name}' is {'ready' if ready else 'being created'}")


_BAD_LOAD = "Bad request: provided software load is incorrect"


async def _software_version(request: Request) -> str | None:
    """The version a well-formed .cmp upload carries in its file name, or None for a bad load."""
    upload = await uploaded_file(request)
    content, filename = (upload[0], upload[1]) if upload else (b"", "")
    version = _VERSION_IN_NAME.search(filename)
    if not filename.lower().endswith(".cmp") or len(content) < 16 or version is None:
        return None
    return version.group(1)
