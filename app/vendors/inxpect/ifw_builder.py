"""Builds IFW packages in the documented layout (§2) for tests and the demo.

Real IFW packages are signed by Inxpect and cannot be produced here. These packages carry the same
structure (package.json, device files, one `.mf` per file, contents.json for the web server) and a
`.mf` that records the file's size and SHA-256, which the simulator checks instead of a signature.

Run `python -m app.vendors.inxpect.ifw_builder resources/inxpect` to regenerate the demo packages.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import sys
import zipfile
from pathlib import Path
from typing import Final

from app.vendors.inxpect.ifw import (
    DESCRIPTOR_NAME,
    MANIFEST_SUFFIX,
    TARGETS,
    WEB_CONTENTS_NAME,
    fingerprint,
)

FIRMWARE_NAMES: Final = {0: "MSK101_v{vc}.bin", 1: "CBPOE_v{vc}.bin"}
WEB_FILE_NAMES: Final = ("index.html.gz", "static/app.js.gz", "static/style.css.gz", "static/favicon.ico.gz")
#: Which web files change in which web-interface version (the rest keep their fingerprint).
WEB_FILE_SINCE: Final = {
    "index.html.gz": 1210,
    "static/app.js.gz": 1210,
    "static/style.css.gz": 1207,
    "static/favicon.ico.gz": 1207,
}


def version_string(version_code: int) -> str:
    """The `v` string of a numeric version: 1209 -> "1.209"."""
    return f"{version_code // 1000}.{version_code % 1000:03d}"


def firmware_image(destination: int, version_code: int, size: int) -> bytes:
    """Deterministic stand-in firmware bytes for a component and version."""
    return random.Random(destination * 100_000 + version_code).randbytes(size)


def web_files(version_code: int) -> dict[str, bytes]:
    """The web interface's files as they are in `version_code` (files change only in listed versions)."""
    files: dict[str, bytes] = {}
    for name in WEB_FILE_NAMES:
        since = WEB_FILE_SINCE[name] if version_code >= WEB_FILE_SINCE[name] else 1000
        files[name] = random.Random(f"{name}:{since}").randbytes(2048 + 512 * WEB_FILE_NAMES.index(name))
    return files


def web_contents(
    version_code: int, files: dict[str, bytes], family: int = 0, mode: int = 0
) -> dict[str, object]:
    """A contents.json object for these files (§2)."""
    return {
        "dm": mode,
        "fA": [{"f": name, "d": fingerprint(data)} for name, data in files.items()],
        "df": family,
        "v": str(version_code),
        "vc": version_code,
    }


def manifest_for(
    name: str, data: bytes, destination: int, version_code: int, *, family: int, mode: int
) -> bytes:
    """The `.mf` meta information of one device file (size and SHA-256 in place of a vendor signature)."""
    return json.dumps(
        {
            "file": name,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "dst": destination,
            "vc": version_code,
            "v": version_string(version_code),
            "df": family,
            "dm": mode,
        }
    ).encode()


def build_ifw(
    destination: int,
    version_code: int,
    files: dict[str, bytes],
    main_file: str,
    *,
    family: int | None = None,
    mode: int | None = None,
    with_manifests: bool = True,
) -> bytes:
    """Zip `files` with their `.mf` and a package.json naming `main_file` (§2 layout)."""
    df, dm = TARGETS[destination]
    df = df if family is None else family
    dm = dm if mode is None else mode
    descriptor = {
        "f": main_file,
        "v": version_string(version_code),
        "df": df,
        "dst": destination,
        "vc": version_code,
        "dm": dm,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DESCRIPTOR_NAME, json.dumps(descriptor))
        for name, data in files.items():
            archive.writestr(name, data)
            if with_manifests:
                archive.writestr(
                    name + MANIFEST_SUFFIX,
                    manifest_for(name, data, destination, version_code, family=df, mode=dm),
                )
    return buffer.getvalue()


def firmware_package(
    destination: int,
    version_code: int,
    size: int = 256 * 1024,
    *,
    family: int | None = None,
    mode: int | None = None,
) -> bytes:
    """An IFW updating the sensor (0) or com board (1) to `version_code` with a `size`-byte image."""
    name = FIRMWARE_NAMES[destination].format(vc=version_code)
    image = firmware_image(destination, version_code, size)
    return build_ifw(destination, version_code, {name: image}, name, family=family, mode=mode)


def web_package(version_code: int) -> bytes:
    """An IFW updating the web interface to `version_code`: every web file plus contents.json."""
    files = web_files(version_code)
    contents = json.dumps(web_contents(version_code, files)).encode()
    return build_ifw(2, version_code, {**files, WEB_CONTENTS_NAME: contents}, WEB_CONTENTS_NAME)


def write_demo_packages(directory: Path) -> list[Path]:
    """Write the demo's IFW packages into `directory`; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    packages = {
        "MSK101_sensor_v1.102.ifw": firmware_package(0, 1102, 192 * 1024),
        "CBPOE_v1.209.ifw": firmware_package(1, 1209, 256 * 1024),
        "MSK101_web_v1.210.ifw": web_package(1210),
    }
    written = []
    for name, data in packages.items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_demo_packages(Path(sys.argv[1] if len(sys.argv) > 1 else "resources/inxpect")):
        print(written_path)
