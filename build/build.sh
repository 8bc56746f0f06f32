#!/usr/bin/env bash
# Build the one-folder executable into dist/commissioner/ (work files in build/out/, both git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
uv run pyinstaller build/commissioner.spec \
  --noconfirm --clean \
  --workpath "$root/build/out" \
  --distpath "$root/dist" \
  --log-level WARN
echo "built: $root/dist/commissioner/commissioner"
