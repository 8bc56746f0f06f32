"""The first-password dialog: a shared password typed twice, or a generated list that must be exported or
printed (CSV, PDF or HTML, owner-only) before the job may start."""

from __future__ import annotations

import stat
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.core.models import VendorId
from app.site.jobs.model import JobTarget
from app.ui.dialogs.first_password import FirstPasswordDialog


def targets() -> list[JobTarget]:
    return [JobTarget(VendorId("inxpect"), "127.0.0.1", 4000 + n, serial=f"2000{n}", model="MSK-101-POE")
            for n in range(3)]


def ok_enabled(dialog: FirstPasswordDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_a_shared_password_needs_eight_characters_typed_twice(qtbot: QtBot) -> None:
    dialog = FirstPasswordDialog(targets())
    qtbot.addWidget(dialog)
    assert not ok_enabled(dialog)
    dialog.password.setText("short")
    dialog.confirm.setText("short")
    assert not ok_enabled(dialog)
    dialog.password.setText("long enough 1")
    assert not ok_enabled(dialog)
    dialog.confirm.setText("long enough 1")
    assert ok_enabled(dialog)
    passwords = dialog.password_list()
    assert passwords._shared == "long enough 1"


def test_a_generated_list_is_saved_before_the_job_may_start(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = FirstPasswordDialog(targets())
    qtbot.addWidget(dialog)
    dialog.generated.setChecked(True)
    assert dialog.table.rowCount() == 3
    assert not ok_enabled(dialog)
    assert "Export or print the list first" in dialog.status.text()
    csv_path = dialog.save(tmp_path / "passwords.csv")
    assert ok_enabled(dialog)
    text = csv_path.read_text()
    for key, password in dialog.passwords.items():
        assert key.split(":")[1] in text
        assert password in text
    assert stat.S_IMODE(csv_path.stat().st_mode) == 0o600
    pdf = dialog.save(tmp_path / "passwords.pdf", pdf=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    session = SimpleNamespace(identity=targets()[1].identity)
    assert dialog.password_list()(session) == dialog.passwords["inxpect:20001"]  # type: ignore[arg-type]
    html = dialog.save(tmp_path / "passwords.html")
    assert next(iter(dialog.passwords.values())) in html.read_text()

    before = dict(dialog.passwords)
    dialog.regenerate()
    assert dialog.passwords.keys() == before.keys()
    assert dialog.passwords != before
    assert not ok_enabled(dialog)  # the saved list no longer matches
