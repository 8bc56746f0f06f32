"""Per-request lines go to DEBUG: live polling cannot push operations and trust decisions out of the log."""

from __future__ import annotations

import logging

import httpx
import pytest

from app.backend.transport import DeviceTransport
from app.core.errors import DeviceUnreachableError


def _answering(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def _refusing(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_each_request_is_logged_at_debug_not_info(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="app.backend.transport")
    transport = DeviceTransport(
        httpx.AsyncClient(transport=httpx.MockTransport(_answering)), "http://device.test"
    )
    for _ in range(5):
        await transport.request("GET", "/api/detections")
    lines = [r for r in caplog.records if "/api/detections" in r.getMessage()]
    assert len(lines) == 5
    assert {r.levelno for r in lines} == {logging.DEBUG}


async def test_at_info_polls_leave_no_line_but_a_failure_does(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.backend.transport")
    answering = DeviceTransport(
        httpx.AsyncClient(transport=httpx.MockTransport(_answering)), "http://device.test"
    )
    for _ in range(5):
        await answering.request("GET", "/api/detections")
    assert caplog.records == []
    refusing = DeviceTransport(
        httpx.AsyncClient(transport=httpx.MockTransport(_refusing)), "http://device.test", retry_delays=()
    )
    with pytest.raises(DeviceUnreachableError):
        await refusing.request("GET", "/api/detections")
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
