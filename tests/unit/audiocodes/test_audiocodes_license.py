"""License helpers: the feature list, and refusing a foreign serial before anything is sent."""

from __future__ import annotations

import pytest

from app.vendors.audiocodes.license import (
    FeatureGroup,
    LicenseRefusedError,
    check_file_serials,
    check_key_serial,
    describe_features,
    license_file_serials,
)
from app.vendors.audiocodes.simulator.licensing import license_file

from .conftest import calls

DOC_DESCRIPTION = (
    "Key features: Board Type: Mediant 800 Security: IPSEC MediaEncryption StrongEncryption "
    "EncryptControlProtocol Coders: G723 G729 G728 NETCODER GSM-FR GSM-EFR AMR EVRC-QCELP G727 ILBC EVRC-B"
)


def test_document_description_becomes_feature_groups() -> None:
    groups = describe_features(DOC_DESCRIPTION)
    assert groups[0] == FeatureGroup("Board Type", ("Mediant 800",))
    assert groups[1] == FeatureGroup(
        "Security", ("IPSEC", "MediaEncryption", "StrongEncryption", "EncryptControlProtocol")
    )
    assert groups[2].name == "Coders"
    assert "EVRC-B" in groups[2].features


def test_semicolon_description_with_counts() -> None:
    groups = describe_features(";;;Key features:;Board Type: Mediant SW ;HA ;Control Protocols: MSFT SBC=3 ;")
    assert FeatureGroup("Control Protocols", ("MSFT", "SBC: 3")) in groups
    assert FeatureGroup("Other", ("HA",)) in groups


def test_key_for_another_serial_is_refused() -> None:
    check_key_serial(" 101780230000003 ", "101780230000003")
    with pytest.raises(LicenseRefusedError) as caught:
        check_key_serial("277522263687112", "101780230000003")
    assert "Nothing was sent" in str(caught.value)


def test_file_serials() -> None:
    data = license_file({"277522263687112": "abc", "101780230000004": "def"})
    assert license_file_serials(data) == ["277522263687112", "101780230000004"]
    check_file_serials(data, "101780230000004")
    check_file_serials(b"no serials here", "101780230000004")
    with pytest.raises(LicenseRefusedError):
        check_file_serials(data, "101780230000009")
    check_file_serials(data, "101780230000009", redundant_serial="277522263687112")


async def test_install_key_for_another_device_sends_nothing(rig) -> None:
    from app.vendors.audiocodes.license import install_key
    from app.vendors.audiocodes.simulator.licensing import mint_license_key

    status = await rig.client.status()
    foreign = mint_license_key("277522263687112")
    sent_before = len(rig.sent)
    with pytest.raises(LicenseRefusedError):
        await install_key(rig.client, status, foreign, "277522263687112")
    assert len(rig.sent) == sent_before

    good = mint_license_key(status.serial_number)
    await install_key(rig.client, status, good, status.serial_number)
    assert calls(rig.sent)[-1] == "PUT /api/v1/license"
    assert (await rig.client.license()).key == good


async def test_device_rejects_a_key_minted_for_another_serial(rig) -> None:
    from app.core.errors import InvalidParameterError
    from app.vendors.audiocodes.simulator.licensing import mint_license_key

    with pytest.raises(InvalidParameterError):
        await rig.client.install_license_key(mint_license_key("277522263687112"), rig.sim.state.serial)


async def test_install_file_for_another_device_sends_nothing(rig) -> None:
    from app.vendors.audiocodes.license import install_file

    status = await rig.client.status()
    sent_before = len(rig.sent)
    with pytest.raises(LicenseRefusedError):
        await install_file(rig.client, status, "other.lic", license_file({"277522263687112": "k"}))
    assert len(rig.sent) == sent_before


async def test_ha_pair_takes_the_license_file_but_not_a_key_string(sim, clock) -> None:
    from app.vendors.audiocodes.license import install_file, install_key
    from app.vendors.audiocodes.simulator.licensing import mint_license_key

    from .conftest import make_rig

    sim.scenarios.enable("ha_pair")
    rig = await make_rig(sim, clock)
    status = await rig.client.status()
    assert status.is_ha_pair
    key = mint_license_key(sim.state.serial)
    sent_before = len(rig.sent)
    with pytest.raises(LicenseRefusedError, match="HA pair"):
        await install_key(rig.client, status, key, sim.state.serial)
    assert len(rig.sent) == sent_before

    await install_file(
        rig.client, status, "pair.lic", license_file({sim.state.serial: key, "101780239999999": "x"})
    )

    assert calls(rig.sent)[-1] == "PUT /api/v1/license"
    assert (await rig.client.license()).key == key
    await rig.http.aclose()


def _raise_license_alarm(state) -> str:
    """Raise pool alarms (seeded, so deterministic) until the license warning is active; its id."""
    from app.vendors.audiocodes.simulator.state import LICENSE_ALARM_SOURCE

    for _ in range(200):
        alarm = state.raise_alarm()
        if alarm.source == LICENSE_ALARM_SOURCE:
            return str(alarm.id)
    raise AssertionError("the alarm pool never raised the license warning")


@pytest.mark.parametrize("how", ["key", "file"])
async def test_installing_a_license_clears_the_license_alarm_into_history(rig, how: str) -> None:
    from app.vendors.audiocodes.simulator.licensing import mint_license_key

    alarm_id = _raise_license_alarm(rig.sim.state)
    active_before = await rig.client.alarms("active", limit=100)
    assert alarm_id in [a.id for a in active_before.alarms]
    other_active = [a.id for a in active_before.alarms if a.description != "License key is about to expire"]

    key = mint_license_key(rig.sim.state.serial)
    if how == "key":
        await rig.client.install_license_key(key, rig.sim.state.serial)
    else:
        await rig.client.install_license_file("site.lic", license_file({rig.sim.state.serial: key}))
    assert calls(rig.sent)[-1] == "PUT /api/v1/license"

    active = await rig.client.alarms("active", limit=100)
    history = await rig.client.alarms("history", limit=100)
    assert [a.id for a in active.alarms] == other_active
    assert alarm_id in [a.id for a in history.alarms]
    cleared = await rig.client.alarm("history", alarm_id)
    assert cleared.description == "License key is about to expire"
    assert (await rig.client.license()).key == key


async def test_a_refused_license_leaves_the_license_alarm_active(rig) -> None:
    from app.core.errors import InvalidParameterError
    from app.vendors.audiocodes.simulator.licensing import mint_license_key

    alarm_id = _raise_license_alarm(rig.sim.state)
    with pytest.raises(InvalidParameterError):
        await rig.client.install_license_key(mint_license_key("277522263687112"), rig.sim.state.serial)
    assert alarm_id in [a.id for a in (await rig.client.alarms("active", limit=100)).alarms]
