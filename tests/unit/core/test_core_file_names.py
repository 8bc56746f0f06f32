"""File names built from device data are portable plain names, and saved paths stay in their folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import UnsafeFileNameError
from app.core.file_names import MAX_NAME_LENGTH, ensure_inside, path_inside, safe_file_name

HOSTILE_PARTS = [
    "../../../etc/passwd",
    "..\\..\\Windows\\System32\\evil",
    "/absolute/path",
    "C:\\Users\\tech\\Desktop\\x",
    "nul\0byte",
    "CON",
    "lpt1.txt",
    "aux",
    "." ,
    "..",
    "",
    "<script>|?*:\"",
    "Ünïcödé ✓ 型号",
    "x" * 5000,
    "~/.ssh/authorized_keys",
    " leading and trailing ",
    "-rf",
]


@pytest.mark.parametrize("part", HOSTILE_PARTS)
def test_a_device_field_becomes_one_plain_portable_name(part: str, tmp_path: Path) -> None:
    name = safe_file_name("2N IP Verso", part, suffix=".xml")
    assert name.endswith(".xml")
    assert len(name) <= MAX_NAME_LENGTH
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
    assert not name.startswith((".", "-"))
    assert name.split(".")[0].lower() not in {"con", "prn", "aux", "nul", "com1", "lpt1"}
    saved = path_inside(tmp_path, name)
    assert saved.parent == tmp_path


@pytest.mark.parametrize("reserved", ["CON", "nul", "Com3", "LPT9", "prn.ini", "aux"])
def test_a_windows_reserved_name_is_never_produced(reserved: str) -> None:
    assert safe_file_name(reserved).split(".")[0].lower() != reserved.split(".", maxsplit=1)[0].lower()


def test_ordinary_fields_stay_readable() -> None:
    assert safe_file_name("2N IP Verso", "54-0876-2342", "20260105-1200", suffix=".xml") == (
        "2N_IP_Verso-54-0876-2342-20260105-1200.xml"
    )
    assert safe_file_name("", "..", suffix=".csr", fallback="mediant") == "mediant.csr"


@pytest.mark.parametrize(
    "name", ["../escape.xml", "/etc/passwd", "a/b.xml", "a\\b.xml", "..", ".", "", "nul\0.xml"]
)
def test_a_name_that_is_not_plain_is_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafeFileNameError):
        path_inside(tmp_path, name)


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "link.xml").symlink_to(tmp_path / "elsewhere.xml")
    with pytest.raises(UnsafeFileNameError):
        path_inside(folder, "link.xml")
    with pytest.raises(UnsafeFileNameError):
        ensure_inside(folder, folder / ".." / "x.xml")
    assert ensure_inside(folder, folder / "ok.xml") == folder / "ok.xml"
