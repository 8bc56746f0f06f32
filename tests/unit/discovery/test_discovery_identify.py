"""Identification with in-process devices: claim, probe, merge, and the reasons given on failure."""

from __future__ import annotations

import httpx
import pytest

from app.core.clock import ManualClock
from app.core.models import DeviceIdentity, DiscoveryRecord, Endpoint
from app.discovery.identify import DeviceNotRecognisedError, Identifier, merge_identity
from tests.integration.discovery_support import FAKE_PLUGIN, SERVICE_TYPE, FakeDevice, StrangerDevice


def _device(index: int = 0) -> FakeDevice:
    return FAKE_PLUGIN.create_simulator(serial_index=index, seed=1, clock=ManualClock())


def _identifier(app: FakeDevice) -> Identifier:
    transport = httpx.ASGITransport(app=app)
    return Identifier([FAKE_PLUGIN], http_factory=lambda: httpx.AsyncClient(transport=transport))


def _record(serial: str, port: int = 443) -> DiscoveryRecord:
    return DiscoveryRecord(SERVICE_TYPE, f"Probe Test - {serial}", "pt.local.", ("127.0.0.1",), port,
                           {"serial": serial})


async def test_a_claimed_record_is_confirmed_by_one_unauthenticated_probe() -> None:
    device = _device()
    identifier = _identifier(device)
    claimed = identifier.claim(_record(device.info.serial))
    assert claimed is not None
    plugin, candidate = claimed
    assert plugin is FAKE_PLUGIN
    assert (candidate.identified, candidate.identity.serial) == (False, device.info.serial)

    result = await identifier.identify_candidate(plugin, candidate)
    await identifier.aclose()

    assert result.identified
    assert result.candidate.identity.model == device.info.model
    assert result.candidate.identity.firmware == "1.2.3"
    assert result.candidate.record is not None
    assert [(r.method, r.path, "authorization" in r.headers) for r in device.requests] == [
        ("GET", "/fake/identity", False)
    ]


def test_records_nobody_claims_are_left_alone() -> None:
    identifier = Identifier([FAKE_PLUGIN], http_factory=httpx.AsyncClient)
    other = DiscoveryRecord("_printer._tcp.local.", "Printer", "p.local.", ("127.0.0.1",), 631)
    assert identifier.claim(other) is None


async def test_a_device_of_another_kind_is_not_identified_and_says_why() -> None:
    stranger = StrangerDevice(_device().info)
    identifier = _identifier(stranger)
    claimed = identifier.claim(_record("PT1"))
    assert claimed is not None

    result = await identifier.identify_candidate(*claimed)

    assert not result.identified
    assert result.reachable
    assert result.reason == "https://127.0.0.1:443 did not answer like a Probe Test vendor"
    assert result.candidate.identity.serial == "PT1"  # what the record claimed is kept
    assert [r.path for r in stranger.requests] == ["/fake/identity"]
    with pytest.raises(DeviceNotRecognisedError) as caught:
        await identifier.identify_endpoint(Endpoint("127.0.0.1", 443))
    expected = "Probe Test vendor: https://127.0.0.1:443 did not answer like a Probe Test vendor"
    assert expected in caught.value.detail
    await identifier.aclose()


async def test_an_unreachable_device_is_reported_unreachable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    transport = httpx.MockTransport(refuse)
    identifier = Identifier([FAKE_PLUGIN], http_factory=lambda: httpx.AsyncClient(transport=transport))
    claimed = identifier.claim(_record("PT1"))
    assert claimed is not None
    result = await identifier.identify_candidate(*claimed)
    await identifier.aclose()
    assert not result.identified
    assert not result.reachable
    assert result.reason == "https://127.0.0.1:443 cannot be reached (ConnectError)"


def test_the_probe_wins_and_the_claim_fills_the_gaps() -> None:
    claimed = DeviceIdentity(vendor="axis", model="AXIS M", serial="S1", mac="AC:CC", name="Front door")
    probed = DeviceIdentity(vendor="axis", model="AXIS M3106", firmware="11.1", name="")
    merged = merge_identity(claimed, probed)
    assert (merged.model, merged.serial, merged.firmware, merged.mac, merged.name) == (
        "AXIS M3106", "S1", "11.1", "AC:CC", "Front door"
    )
