"""The cloud account dialog refuses a plain-HTTP address as it is typed, by the rule the cloud login uses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.core.errors import CleartextRefusedError
from app.site.naming import cloud_endpoint
from app.ui.dialogs.cloud_account import OTHER_ADDRESS, CloudAccountDialog
from app.vendors.hikvision.regions import TOKEN_HOSTS, TokenHost


def connect_enabled(dialog: CloudAccountDialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_an_http_address_is_refused_in_the_dialog_with_the_cloud_rule(qtbot: QtBot) -> None:
    dialog = CloudAccountDialog("", "app-key", "app-secret")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.url, "http://cloud.example:8080")
    assert not connect_enabled(dialog)
    assert dialog.url_problem.isVisible()
    with pytest.raises(CleartextRefusedError) as refused:
        cloud_endpoint("http://cloud.example:8080")
    assert dialog.url_problem.text() == str(refused.value)
    assert "only sent over https" in dialog.url_problem.text()
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter does not connect either

    dialog.url.setText("https://cloud.example")
    assert connect_enabled(dialog)
    assert not dialog.url_problem.isVisible()
    assert dialog.account().url == "https://cloud.example"


def test_no_message_before_anything_is_typed_and_none_for_a_good_address(qtbot: QtBot) -> None:
    empty = CloudAccountDialog("", "app-key", "app-secret")
    qtbot.addWidget(empty)
    assert not connect_enabled(empty)
    assert empty.url_problem.text() == ""
    remembered = CloudAccountDialog("https://cloud.example", "app-key", "")
    qtbot.addWidget(remembered)
    assert remembered.url_problem.text() == ""
    assert not connect_enabled(remembered)  # the secret is still missing
    remembered.secret.setText("s")
    assert connect_enabled(remembered)


def test_an_address_that_is_not_a_web_address_is_explained(qtbot: QtBot) -> None:
    dialog = CloudAccountDialog("ftp://cloud.example", "app-key", "app-secret")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not connect_enabled(dialog)
    assert dialog.url_problem.text() == "'ftp://cloud.example' is not an https:// address."


def test_region_presets_fill_in_the_service_address_and_show_where_calls_go(qtbot: QtBot) -> None:
    demo = TokenHost("Demo — the simulated cloud on this computer", "https://127.0.0.1:8443")
    dialog = CloudAccountDialog("", "app-key", "app-secret", extra_presets=(demo,))
    qtbot.addWidget(dialog)
    dialog.show()
    labels = [dialog.region.itemText(i) for i in range(dialog.region.count())]
    assert labels == [OTHER_ADDRESS, demo.label, *(p.label for p in TOKEN_HOSTS)]
    assert dialog.region.currentIndex() == 0
    assert dialog.url.text() == ""

    global_host = labels.index(TOKEN_HOSTS[0].label)
    dialog.region.setCurrentIndex(global_host)
    dialog.region.activated.emit(global_host)
    assert dialog.url.text() == "https://api.hik-partner.com"
    assert "regional service (Europe, North America" in dialog.service.text()
    assert dialog.service.isVisible()
    assert connect_enabled(dialog)

    dialog.url.setText("https://cloud.example")  # typed by hand: no preset's
    assert dialog.region.currentIndex() == 0
    assert dialog.service.text().startswith("Sign-in goes to https://cloud.example;")


def test_the_demo_address_is_shown_as_its_own_preset(qtbot: QtBot) -> None:
    demo = TokenHost("Demo — the simulated cloud on this computer", "https://127.0.0.1:8443")
    dialog = CloudAccountDialog("https://127.0.0.1:8443", "app-key", "app-secret", extra_presets=(demo,))
    qtbot.addWidget(dialog)
    assert dialog.region.currentText() == demo.label
    assert "https://127.0.0.1:8443" in dialog.service.text()
    assert dialog.account().url == "https://127.0.0.1:8443"
