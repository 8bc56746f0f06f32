"""Safe file names from device data, and saved paths that stay inside the folder they belong in."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from app.core.errors import UnsafeFileNameError

#: Longest name produced (most file systems allow 255 bytes; this leaves room for a temporary prefix).
MAX_NAME_LENGTH = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{stem}{n}" for stem in ("com", "lpt") for n in (*"123456789", "¹", "²", "³")}
)


def safe_file_name(*parts: str, suffix: str = "", fallback: str = "device") -> str:
    """`parts` joined by "-" as one portable file name ending in `suffix`: ASCII letters, digits, ".", "_"
    and "-" only, no leading dot, no Windows reserved name, at most MAX_NAME_LENGTH characters."""
    joined = "-".join(_slug(part) for part in parts if _slug(part))
    stem = joined[: MAX_NAME_LENGTH - len(suffix)].strip("._-") or fallback
    if stem.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"[: MAX_NAME_LENGTH - len(suffix)]
    return stem + suffix


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("_", ascii_text).strip("._-")


def saved_file(folder: Path, *parts: str, suffix: str, fallback: str = "device") -> Path:
    """`folder`/<safe_file_name(parts)><suffix>: where to save a file named after device fields."""
    return path_inside(folder, safe_file_name(*parts, suffix=suffix, fallback=fallback))


def path_inside(folder: Path, name: str) -> Path:
    """`folder`/`name`, refused with UnsafeFileNameError unless it is a plain name that stays in `folder`."""
    if not name or "\0" in name or name in (".", "..") or Path(name).name != name or "\\" in name:
        raise UnsafeFileNameError(f"Refused to save under the unsafe file name {name!r}.")
    return ensure_inside(folder, folder / name)


def ensure_inside(folder: Path, path: Path) -> Path:
    """`path` when it resolves inside `folder` (links followed), else UnsafeFileNameError."""
    if "\0" in str(path):
        raise UnsafeFileNameError("Refused to save under a file name with a NUL character.")
    base = folder.resolve()
    resolved = path.resolve()
    if resolved.parent != base and base not in resolved.parents:
        raise UnsafeFileNameError(f"Refused to save {path}: it is outside {folder}.")
    return path
