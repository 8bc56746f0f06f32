"""The demo banner's values work as they are: the cloud address is shown, its device lines register, and
the toolbar's Cloud account… is filled in with the demo cloud's account."""

from __future__ import annotations

import qasync
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.ui.demo import DEMO_VARIANTS, offer_demo_cloud
from app.ui.demo_banner import DemoBanner, cloud_device_lines
from app.ui.dialogs.cloud_account import CloudAccountDialog
from app.ui.main_window import MainWindow
from app.vendors.hikvision.labels import parse_labels
from app.vendors.hikvision.simulator import HikPartnerSimulator
from tests.gui.conftest import run_async, wait_until

CLOUD = {
    "vendor": "hikvision", "model": "Hik-Partner Pro", "host": "127.0.0.1", "port": 47443, "scheme": "https",
    "username": "a1b2c3d4e5f6", "password": "0f1e2d3c4b5a69788796",
    "devices": [
        {"serial": "Q01728482", "validateCode": "ABCDEF", "model": "DS-KD8003"},
        {"serial": "519928976", "validateCode": "XYZW12", "model": "DS-2CD2143"},
        {"serial": "J55512345", "validateCode": "QWERTY", "model": "AX PRO"},
        {"serial": "J55599999", "validateCode": "NOTSHOWN", "model": "AX PRO"},
    ],
}


def test_the_banner_device_lines_are_what_the_register_box_reads(qtbot: QtBot) -> None:
    banner = DemoBanner([CLOUD])
    qtbot.addWidget(banner)
    lines = cloud_device_lines(CLOUD)
    shown = [label.text() for label in banner.findChildren(QLabel)]
    assert lines in shown
    parsed = parse_labels(lines)
    assert parsed.problems == ()
    assert [(d.serial, d.verification_code) for d in parsed.devices] == [
        ("Q01728482", "ABCDEF"), ("519928976", "XYZW12"), ("J55512345", "QWERTY"),
    ]
    copy = next(b for b in banner.findChildren(QPushButton) if b.text() == "Copy devices")
    copy.click()
    assert parse_labels(QGuiApplication.clipboard().text()).devices == parsed.devices


def test_the_banner_shows_the_cloud_service_address(qtbot: QtBot) -> None:
    banner = DemoBanner([CLOUD])
    qtbot.addWidget(banner)
    texts = " ".join(label.text() for label in banner.findChildren(QLabel))
    assert "service <b>https://127.0.0.1:47443</b>" in texts


def test_the_toolbar_cloud_dialog_is_filled_in_in_the_demo(
    window: MainWindow, qtbot: QtBot, qloop: qasync.QEventLoop
) -> None:
    banner = DemoBanner([CLOUD])
    qtbot.addWidget(banner)
    offer_demo_cloud(window, banner)
    opened: list[object] = []
    window.dialog_opened.connect(opened.append)
    window.cloud_action.trigger()
    run_async(qloop, wait_until(lambda: bool(opened)))
    dialog = opened[0]
    assert isinstance(dialog, CloudAccountDialog)
    assert dialog.url.text() == "https://127.0.0.1:47443"
    assert dialog.api_key.text() == "a1b2c3d4e5f6"
    assert dialog.secret.text() == "0f1e2d3c4b5a69788796"
    assert dialog.region.currentText() == "Demo — the simulated cloud on this computer"
    dialog.reject()


def test_the_banner_names_the_partner_the_simulated_cloud_shares_sites_with(qtbot: QtBot) -> None:
    partners = HikPartnerSimulator(seed=0).info.extra["partners"]
    banner = DemoBanner([{**CLOUD, "partners": partners}])
    qtbot.addWidget(banner)
    texts = [label.text() for label in banner.findChildren(QLabel)]
    assert "Partner to share a site with:" in texts
    assert "dana.kim@cabling-partner.example" in texts


def test_the_demo_has_an_ha_pair_mediant_named_as_such_with_its_own_add(qtbot: QtBot) -> None:
    assert ("audiocodes", "ha_pair") in DEMO_VARIANTS
    mediant = {"vendor": "audiocodes", "model": "Mediant 800", "host": "127.0.0.1", "port": 41000,
               "scheme": "https", "username": "Admin", "password": "Admin"}
    pair = {**mediant, "port": 41001, "simulates": ["the device is one unit of an HA pair"]}
    banner = DemoBanner([mediant, pair])
    qtbot.addWidget(banner)
    names = [label.text() for label in banner.findChildren(QLabel)]
    assert any(name.endswith("\n(the device is one unit of an HA pair)") for name in names)
    adds = {b.accessibleName() for b in banner.findChildren(QPushButton) if b.text() == "Add"}
    assert adds == {f"Add AudioCodes Mediant 800 at 127.0.0.1:{port}" for port in (41000, 41001)}
