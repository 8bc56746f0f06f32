"""When Qt cannot start, the app says in one line what to install, and the demo leaves no folder behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from app.core.system_libraries import LINUX_GUI_PACKAGES

ROOT = Path(__file__).resolve().parents[2]


def test_a_failing_platform_is_explained_in_one_line_and_leaves_no_demo_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COMMISSIONER_DATA_DIR"}
    env.update(QT_QPA_PLATFORM="nonexistent", TMPDIR=str(tmp_path), HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "app", "--demo"], env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert done.returncode == 3
    said = [line for line in done.stderr.splitlines() if line.startswith("Commissioner cannot open")]
    assert len(said) == 1
    assert 'the "nonexistent" platform plugin' in said[0]
    assert "sudo apt-get install libegl1" in said[0]
    assert "libxcb-cursor0" in said[0]
    assert "Traceback" not in done.stderr
    assert list(tmp_path.glob("commissioner-demo-*")) == []


def test_ci_and_readme_name_the_same_system_libraries_as_the_app() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = re.search(r"apt-get install -y -qq --no-install-recommends \\\n(.*?)>/dev/null", ci, re.S)
    assert install is not None
    assert tuple(install.group(1).replace("\\", " ").split()) == LINUX_GUI_PACKAGES
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(LINUX_GUI_PACKAGES) in readme
