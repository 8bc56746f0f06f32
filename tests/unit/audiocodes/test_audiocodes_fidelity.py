"""The simulated Mediant as the document describes it: 405 for a method a resource does not offer, a
multipart file taken whatever its part is named, and a debug file that is never created."""

from __future__ import annotations

import pytest

from app.core.errors import TransferError
from app.core.progress import ProgressReporter
from app.vendors.audiocodes.maintenance import DEBUG_STAGES, collect_debug_file

from .conftest import Rig, drive

AUTH = ("Admin", "Admin")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/api/v1/files/tls/0/certificate"),
        ("POST", "/api/v1/files/tls/0/privateKey"),
        ("GET", "/api/v1/files/tls/0/privateKey/generate"),
        ("PUT", "/api/v1/files/tls/0/certificate/request"),
        ("GET", "/api/v1/files/tls/0/trustedRoot/incremental"),
        ("POST", "/api/v1/files/tls/0"),
        ("PUT", "/api"),
    ],
)
async def test_a_method_the_document_does_not_list_answers_405(rig: Rig, method: str, path: str) -> None:
    response = await rig.http.request(method, path, auth=AUTH, files={"file": ("x.pem", b"x")})
    assert response.status_code == 405


async def test_the_file_part_is_taken_whatever_its_name(rig: Rig) -> None:
    named = await rig.http.put(
        "/api/v1/files/ini/incremental",
        auth=AUTH,
        files={"upload": ("a.ini", b"SyslogServerIP = 10.1.1.1\n")},
    )
    unnamed = await rig.http.put(
        "/api/v1/files/ini/incremental",
        auth=AUTH,
        content=(
            b'--XX\r\nContent-Disposition: form-data; filename="b.ini"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\nSyslogServerPort = 5140\r\n--XX--\r\n"
        ),
        headers={"Content-Type": "multipart/form-data; boundary=XX"},
    )

    assert (named.status_code, unnamed.status_code) == (200, 200)
    assert rig.sim.state.params["SyslogServerIP"] == "10.1.1.1"
    assert rig.sim.state.params["SyslogServerPort"] == "5140"


async def test_a_debug_file_never_created_ends_with_a_clear_outcome(rig: Rig) -> None:
    rig.sim.scenarios.enable("debug_not_created")
    reporter = ProgressReporter(DEBUG_STAGES)

    with pytest.raises(TransferError, match="did not create the debug file") as caught:
        await drive(rig.clock, collect_debug_file(rig.client, reporter), 1.0)

    assert caught.value.state == "debug file not created"
    polls = [r for r in rig.sent if r.path.startswith("/api/v1/files/status/")]
    assert 50 <= len(polls) <= 70  # every 3 s for three minutes, then it stops asking
