"""A demo site of many devices (its simulator arguments, a banner grouped by model) and the choice of one
firmware package per model of the selected devices."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.ui.demo import demo_args
from app.ui.demo_banner import DemoBanner
from app.ui.dialogs.firmware_packages import FirmwarePackagesDialog


def device(vendor: str, model: str, serial: str, password: str, announced: bool = True) -> dict[str, object]:
    line: dict[str, object] = {"vendor": vendor, "model": model, "serial": serial, "host": "127.0.0.1",
                               "port": 40000 + len(serial), "username": "admin", "password": password}
    if announced:
        line["service_type"] = "_http._tcp.local."
    return line


def test_the_demo_starts_a_site_of_n_only_when_asked() -> None:
    assert demo_args(30) == ["--site", "30", "--host", "127.0.0.1"]
    assert "--site" not in demo_args()


def test_a_banner_of_many_devices_shows_one_line_per_model_and_keeps_the_add_button(qtbot: QtBot) -> None:
    devices = [device("two_n", "2N IP Verso", f"54-{n}", f"2n-{n}") for n in range(6)]
    devices += [device("inxpect", "MSK-101-POE", f"2000{n}", "msk101poe") for n in range(5)]
    devices.append(device("audiocodes", "Mediant 800", "1017", "Admin", announced=False))
    banner = DemoBanner(devices)
    qtbot.addWidget(banner)
    texts = [label.text() for label in banner.findChildren(QLabel)]
    assert "6 × 2N IP Verso" in texts
    assert "5 × Inxpect MSK-101-POE" in texts
    assert any("each its own password" in text for text in texts)
    assert any("msk101poe" in text for text in texts)
    assert not any("2n-3" in text for text in texts)
    assert [b.text() for b in banner.findChildren(QPushButton) if b.text() == "Add"] == ["Add"]


def test_a_few_devices_keep_one_line_each(qtbot: QtBot) -> None:
    banner = DemoBanner([device("two_n", "2N IP Verso", "54-1", "2n-1")])
    qtbot.addWidget(banner)
    assert any("2n-1" in label.text() for label in banner.findChildren(QLabel))


def test_one_package_per_model_with_its_version(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = FirmwarePackagesDialog(["2N IP Verso", "2N IP Verso", "2N IP Vario"])
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert dialog.models == ["2N IP Vario", "2N IP Verso"]
    assert not ok.isEnabled()
    dialog.set_file("2N IP Verso", tmp_path / "verso.bin")
    dialog.versions["2N IP Verso"].setText(" 2.40.0 ")
    assert ok.isEnabled()
    [package] = dialog.packages()
    assert (package.path.name, package.version, package.models) == ("verso.bin", "2.40.0",
                                                                     frozenset({"2n ip verso"}))
    assert dialog.file_labels["2N IP Vario"].text() == "no file chosen"
