"""The window shows why a device cannot be opened (the site's connections decide), and opens nothing."""

from __future__ import annotations

from app.core.models import DeviceCandidate, DeviceIdentity, Endpoint
from app.discovery.identify import Identification
from app.ui.main_window import MainWindow


def test_an_unidentified_row_is_not_opened_and_the_reason_is_shown(window: MainWindow) -> None:
    unknown = DeviceCandidate(Endpoint("127.0.0.1", 8443), DeviceIdentity("", ""), identified=False)
    sighting = Identification(unknown, None, reason="no vendor answered", reachable=True)
    entry = window.services.inventory.observe(sighting, source="test:unknown")
    assert window.open_device(entry.key) is None
    assert window.notifications.messages[-1] == (
        "warning", "127.0.0.1:8443 is not identified: no vendor answered."
    )
    assert window.connections.keys() == []
    assert window.tasks.running == []
