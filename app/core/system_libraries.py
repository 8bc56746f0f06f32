"""The system libraries Qt's window needs on Linux (Debian/Ubuntu names): what .ci/run installs and the
README lists, and what the app names when Qt cannot start."""

from __future__ import annotations

#: Debian/Ubuntu packages for Qt's xcb platform plugin, OpenGL, fonts and D-Bus.
LINUX_GUI_PACKAGES: tuple[str, ...] = (
    "libegl1", "libgl1", "libglib2.0-0", "libfontconfig1", "libfreetype6", "libdbus-1-3",
    "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1",
    "libxcb-shape0", "libxcb-randr0", "libxcb-render-util0", "libxcb-image0", "libxcb-xinerama0",
    "fonts-dejavu-core",
)


def cannot_start_message(platform: str) -> str:
    """One line saying why the window cannot open and what to install."""
    plugin = f'the "{platform}" platform plugin' if platform else "a platform plugin"
    return (
        f"Commissioner cannot open its window: Qt could not load {plugin}. Install the system libraries "
        f"it needs (Debian/Ubuntu: sudo apt-get install {' '.join(LINUX_GUI_PACKAGES)}), or run with a "
        "display (DISPLAY or WAYLAND_DISPLAY set)."
    )
