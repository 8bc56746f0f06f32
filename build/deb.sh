#!/usr/bin/env bash
# Package the one-folder build (dist/commissioner/, from build/build.sh) as a Debian package with dpkg-deb:
# the app under /opt/commissioner, a `commissioner` command in /usr/bin, a desktop entry and its icon.
# Prints the path of the .deb (dist/commissioner_<version>_<arch>.deb).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -x dist/commissioner/commissioner ] || { echo "no one-folder build: run build/build.sh first" >&2; exit 1; }

version="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)"
arch="$(dpkg --print-architecture)"
stage="$root/build/out/deb"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/icons/hicolor/scalable/apps"

cp -a dist/commissioner "$stage/opt/commissioner"
# A wrapper, not a symlink: the one-folder bootloader finds its libraries beside the real executable.
cat > "$stage/usr/bin/commissioner" <<'WRAPPER'
#!/bin/sh
exec /opt/commissioner/commissioner "$@"
WRAPPER
chmod 0755 "$stage/usr/bin/commissioner"
install -m 0644 resources/icons/commissioner.png "$stage/usr/share/icons/hicolor/256x256/apps/commissioner.png"
install -m 0644 resources/icons/commissioner.svg "$stage/usr/share/icons/hicolor/scalable/apps/commissioner.svg"
cat > "$stage/usr/share/applications/commissioner.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Commissioner
GenericName=Device commissioning
Comment=Find and commission security and communications devices on site
Exec=commissioner
Icon=commissioner
Terminal=false
Categories=Network;Utility;
Keywords=commissioning;camera;intercom;radar;SBC;
DESKTOP

# Qt's system libraries are recommended, not required: dpkg -i never fails on a distribution's package
# names (libglib2.0-0 is libglib2.0-0t64 on newer releases); apt installs them with the package.
recommends="$(uv run --quiet python -c 'from app.core.system_libraries import LINUX_GUI_PACKAGES as p; print(", ".join(p))')"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: commissioner
Version: $version
Architecture: $arch
Maintainer: Commissioner maintainers <commissioner@localhost>
Section: net
Priority: optional
Installed-Size: $(du -sk "$stage/opt" "$stage/usr" | awk '{s += $1} END {print s}')
Recommends: $recommends
Description: find and commission security and communications devices on site
 Commissioner finds devices on the local network over mDNS, by address or by an
 IPv4 range scan, and commissions them through guided vendor panels.
CONTROL
# No maintainer scripts: the icon theme's and desktop database's own dpkg triggers refresh their caches,
# and without a postrm `dpkg -r` leaves nothing behind (not even a config-files entry).

deb="$root/dist/commissioner_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$stage" "$deb" >/dev/null
echo "$deb"
