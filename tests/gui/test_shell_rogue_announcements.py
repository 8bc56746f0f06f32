"""Rogue announcements over loopback mDNS: a plain-HTTP twin of a pinned intercom and a new plain-HTTP
"intercom" are listed, but neither ever receives a credential (asserted on what they received)."""

from __future__ import annotations

import dataclasses
import secrets

import qasync

from app.backend.credentials import SiteCredential
from app.backend.trust import fetch_certificate
from app.core.clock import SystemClock
from app.core.models import Credentials, DeviceState
from app.sim.site import run_site
from app.ui.device_list import COLUMNS, cell_text
from app.ui.dialogs.cleartext import CleartextDialog
from app.ui.dialogs.credentials import CredentialDialog
from app.ui.main_window import MainWindow
from app.vendors.two_n.simulator import TwoNSimulator
from tests.gui.conftest import DialogWatcher, run_async, wait_until
from tests.unit.site.secrets_seen import leaks, served_over, usernames

STORED = "stored-intercom-pass"
SITE = "site-list-pass"


def rogue(serial_index: int, name: str) -> TwoNSimulator:
    """A 2N simulator answering on plain HTTP (every service), announced as `_http._tcp` under `name`."""
    device = served_over(TwoNSimulator(serial_index=serial_index, seed=9, clock=SystemClock()), "http")
    for settings in device.services.values():
        settings.connection = "http"
    advert = device.info.advert
    assert advert is not None
    host_name = f"{name.replace(' ', '-')}.local."
    device.info = dataclasses.replace(device.info, advert=dataclasses.replace(
        advert, service_type="_http._tcp.local.", instance_name=name, host_name=host_name,
    ))
    return device


def test_plain_http_and_same_serial_announcements_never_receive_a_credential(
    window: MainWindow, qloop: qasync.QEventLoop
) -> None:
    index = 7000 + secrets.randbelow(900)  # loopback mDNS may be shared: serials no other run announces
    dialogs = DialogWatcher(window)

    async def scenario() -> None:
        async with run_site(["two_n"], 1, seed=9, first_index=index) as site:
            real = site.devices[0]
            key = f"two_n:{real.device.info.serial}"
            await window.services.discovery.start(["127.0.0.1"])
            await wait_until(lambda: window.model.row(key) is not None and window.model.row(key).identified)  # type: ignore[union-attr]
            window.services.trust.trust(key, await fetch_certificate(real.endpoint))
            window.services.credentials.save_device_credentials(key, Credentials("admin", STORED))
            window.services.credentials.set_site_credentials([SiteCredential("site", "admin", SITE)])

            twin = rogue(index, f"2N IP Verso twin {index}")  # same serial as the pinned intercom
            newcomer = rogue(index + 1, f"2N IP Verso new {index}")  # refuses every password it is sent
            await site.add(twin)
            await site.add(newcomer)
            new_key = f"two_n:{newcomer.info.serial}"

            def conflict_key() -> str | None:
                return next((r.key for r in window.services.inventory.entries()
                             if r.state is DeviceState.CONFLICT and key in r.detail), None)

            def newcomer_identified() -> bool:
                entry = window.model.row(new_key)
                return entry is not None and entry.identified

            await wait_until(lambda: conflict_key() is not None and newcomer_identified(), timeout=15)
            row = window.model.row(key)
            assert row is not None
            assert row.candidate.endpoint == real.endpoint  # the twin did not take over the row
            conflict = conflict_key()
            assert conflict is not None
            assert window.open_device(conflict) is None  # a conflict row cannot be opened

            opening = window.open_device(new_key)  # the newcomer: unencrypted, so the technician decides
            assert opening is not None
            warning = await dialogs.shown(CleartextDialog)
            assert "NOT encrypted" in warning.headline.text()
            warning.accept()  # even allowed, stored and site passwords are not tried on it
            login = await dialogs.shown(CredentialDialog)
            assert login.cleartext_warning.isVisibleTo(login)
            login.reject()
            assert await opening is None
            listed = window.model.row(new_key)
            assert listed is not None
            assert cell_text(listed, COLUMNS.index("Address")).endswith("(unencrypted, allowed by you)")
            decisions = [(e.action, e.result) for e in window.services.history.entries(new_key)]
            assert ("Unencrypted connection", "allowed by the technician") in decisions

            for rogue_device in (twin, newcomer):
                assert leaks(rogue_device.requests, STORED, SITE) == []
                assert usernames(rogue_device.requests) == set()
                assert set(rogue_device.requests.paths()) <= {"/api/system/info"}
            assert len(twin.requests) > 0  # it was probed, so it was really seen

    run_async(qloop, scenario(), timeout=40)
