"""IFW reader and validator on good and bad packages; update planning against a device."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from app.vendors.inxpect.firmware import plan_update
from app.vendors.inxpect.ifw import InvalidPackageError, UpdateDestination, WebContents, fingerprint, read_ifw
from app.vendors.inxpect.ifw_builder import (
    build_ifw,
    firmware_package,
    web_contents,
    web_files,
    web_package,
)
from app.vendors.inxpect.models import ComBoardInfo, DeviceInfo, SensorInfo

INFO = DeviceInfo(
    SensorInfo(1, 5, 1100, 7020001, 500, 20000, -50, 50), ComBoardInfo(1, 5, 1207, 20001, False)
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_good_firmware_package_reads_descriptor_and_files() -> None:
    package = read_ifw(firmware_package(1, 1209, 4096), "CBPOE_v1.209.ifw")
    descriptor = package.descriptor
    assert (descriptor.file, descriptor.version, descriptor.version_code) == (
        "CBPOE_v1209.bin",
        "1.209",
        1209,
    )
    assert (descriptor.device_family, descriptor.device_mode) == (2, 1)
    assert descriptor.destination is UpdateDestination.COMBOARD
    assert list(package.files) == ["CBPOE_v1209.bin"]
    manifest = json.loads(package.files["CBPOE_v1209.bin"].manifest)
    assert manifest["size"] == 4096


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(InvalidPackageError, match="not a readable zip"):
        read_ifw(b"this is a text file", "notes.ifw")


def test_package_without_descriptor_is_refused() -> None:
    with pytest.raises(InvalidPackageError, match=r"no package\.json"):
        read_ifw(_zip({"CBPOE_v1209.bin": b"x", "CBPOE_v1209.bin.mf": b"{}"}), "bad.ifw")


def test_missing_meta_file_is_refused() -> None:
    data = build_ifw(1, 1209, {"CBPOE_v1209.bin": b"firmware"}, "CBPOE_v1209.bin", with_manifests=False)
    with pytest.raises(InvalidPackageError, match=r"no meta information \(CBPOE_v1209.bin.mf\)"):
        read_ifw(data, "bad.ifw")


def test_descriptor_naming_a_missing_file_is_refused() -> None:
    data = _zip(
        {
            "package.json": json.dumps(
                {"f": "X.bin", "v": "1.0", "vc": 1000, "dm": 1, "df": 2, "dst": 1}
            ).encode()
        }
    )
    with pytest.raises(InvalidPackageError, match=r"lacks the file X\.bin"):
        read_ifw(data, "bad.ifw")


def test_wrong_destination_is_refused() -> None:
    data = _zip(
        {
            "package.json": json.dumps(
                {"f": "X.bin", "v": "1.0", "vc": 1000, "dm": 1, "df": 2, "dst": 7}
            ).encode(),
            "X.bin": b"x",
            "X.bin.mf": b"{}",
        }
    )
    with pytest.raises(InvalidPackageError, match=r"unknown destination 7"):
        read_ifw(data, "bad.ifw")


def test_wrong_family_is_refused_for_this_device() -> None:
    package = read_ifw(firmware_package(1, 1209, 1024, family=9), "other.ifw")
    with pytest.raises(InvalidPackageError, match="device family 9"):
        plan_update(package, INFO, None)


def test_wrong_mode_is_refused_for_this_device() -> None:
    package = read_ifw(firmware_package(0, 1102, 1024, mode=3), "other.ifw")
    with pytest.raises(InvalidPackageError, match="device mode 3"):
        plan_update(package, INFO, None)


def test_older_package_is_a_downgrade() -> None:
    package = read_ifw(firmware_package(1, 1150, 1024), "old.ifw")
    plan = plan_update(package, INFO, None)
    assert plan.is_downgrade
    assert plan.current_version == 1207
    assert "not newer" in plan.summary()


def test_web_package_sends_only_changed_files() -> None:
    device = WebContents.decode(web_contents(1207, web_files(1207)), "device")
    package = read_ifw(web_package(1210), "web.ifw")
    plan = plan_update(package, INFO, device)
    sent = [f.name for f in plan.files]
    assert sent == ["index.html.gz", "static/app.js.gz", "contents.json"]
    assert set(plan.unchanged) == {"static/style.css.gz", "static/favicon.ico.gz"}
    assert not plan.is_downgrade


def test_fingerprint_is_base64_sha256() -> None:
    assert fingerprint(b"") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    assert len(fingerprint(b"x")) == 44
