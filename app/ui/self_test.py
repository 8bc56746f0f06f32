"""`--demo --self-test`: discover the demo devices over loopback mDNS, trust and log in to one, open a panel.

This is what CI runs on the frozen executable: it prints one progress line per step and returns the
exit code (0 success, 1 with the reason printed). The certificate is accepted programmatically: that
is the self-test's explicit decision, made only for a demo device it started itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from app.core.errors import AppError
from app.core.models import Credentials
from app.discovery.inventory import DeviceEntry
from app.site.prompts import CleartextQuestion, CredentialAnswer, CredentialQuestion, TrustQuestion
from app.vendors.base import Capability, VendorKind, capabilities_of
from app.vendors.registry import find_plugin, vendor_ids

if TYPE_CHECKING:
    from app.ui.demo import DemoSite
    from app.ui.main_window import MainWindow

SELF_TEST_TIMEOUT_S = 60.0


def say(message: str) -> None:
    """One progress line on stdout, flushed (CI logs show how far it got)."""
    print(f"self-test: {message}", flush=True)


async def run_self_test(
    window: MainWindow, demo: DemoSite | None, timeout: float = SELF_TEST_TIMEOUT_S
) -> int:
    """0 when a demo device was discovered, trusted, logged in to and its panel opened; else 1."""
    if demo is None:
        say("FAILED: --self-test needs --demo")
        return 1
    try:
        async with asyncio.timeout(timeout):
            await _self_test(window, demo)
    except TimeoutError:
        say(f"FAILED: not done within {timeout:.0f} s")
        return 1
    except (AppError, OSError) as err:
        say(f"FAILED: {type(err).__name__}: {err}")
        return 1
    except Exception as err:  # noqa: BLE001  (top-level sink: CI must get a reason, not a traceback only)
        say(f"FAILED: unexpected {type(err).__name__}: {err}")
        return 1
    say("PASSED")
    return 0


async def _self_test(window: MainWindow, demo: DemoSite) -> None:
    if not window.demo:
        raise AppError("the window does not know it shows the demo site (no DEMO title, mark or demo CA)")
    say(f"window marked as the demo: {window.windowTitle()!r}")
    advertised = [d for d in demo.devices if _opens_at_once(str(d.get("vendor", ""))) and "service_type" in d]
    say(f"demo site running: {len(demo.devices)} simulated device(s); waiting for "
        f"{len(advertised)} to be discovered over mDNS on 127.0.0.1")
    entries = await _wait_for_discovery(window, {str(d["serial"]) for d in advertised})
    for entry in entries:
        identity = entry.candidate.identity
        say(f"discovered {identity.vendor} {identity.model} {identity.serial} at {entry.candidate.endpoint}")
    entry = _choose(entries)
    device = _demo_line(demo.devices, entry)
    say(f"opening {entry.candidate.identity.vendor} {entry.key}")
    window.connector.prompts = UnattendedPrompts(device)
    task = window.open_device(entry.key)
    if task is None:
        raise AppError(f"{entry.key} could not be opened")
    opened = await task
    if opened is None or window.workspace.panel(entry.key) is None:
        raise AppError(f"no panel opened for {entry.key}")
    panel = window.workspace.panel(entry.key)
    say(f"logged in; panel {type(panel).__name__} open for {entry.key}")


async def _wait_for_discovery(window: MainWindow, serials: set[str]) -> list[DeviceEntry]:
    """Every identified entry once all `serials` are identified (polled: inventory changes are frequent)."""
    inventory = window.services.inventory
    while True:
        found = [e for e in inventory.entries() if e.identified and e.candidate.identity.serial in serials]
        if {e.candidate.identity.serial for e in found} >= serials:
            return found
        await asyncio.sleep(0.1)


def _opens_at_once(vendor: str) -> bool:
    """A LAN device that takes its demo credentials at once (no factory password to replace first)."""
    plugin = find_plugin(vendor)
    return (
        plugin is not None and plugin.kind is VendorKind.LAN_DEVICE
        and Capability.SET_FIRST_PASSWORD not in capabilities_of(plugin.client_type)
    )


def _choose(entries: Sequence[DeviceEntry]) -> DeviceEntry:
    """The discovered device of the first vendor in registry order."""
    order = vendor_ids()
    ranked = sorted(entries, key=lambda e: order.index(e.candidate.identity.vendor))
    if not ranked:
        raise AppError("no demo device was discovered")
    return ranked[0]


def _demo_line(devices: Sequence[Mapping[str, Any]], entry: DeviceEntry) -> Mapping[str, Any]:
    serial = entry.candidate.identity.serial
    for device in devices:
        if str(device.get("serial")) == serial:
            return device
    raise AppError(f"{serial} is not one of the demo devices")


class UnattendedPrompts:
    """DevicePrompts that trust the demo certificate and answer with the demo credentials, never HTTP."""

    def __init__(self, device: Mapping[str, Any]) -> None:
        self._credentials = Credentials(str(device.get("username", "")), str(device.get("password", "")))
        self._fingerprint = str(device.get("fingerprint", ""))

    async def decide_trust(self, question: TrustQuestion) -> bool:
        """Trust exactly the certificate the demo simulator reported."""
        presented = question.certificate.fingerprint
        if presented != self._fingerprint:
            raise AppError(f"{question.device_label} presents {presented}, not the demo's certificate "
                           f"{self._fingerprint}")
        say(f"trusting the certificate of {question.device_label} (SHA-256 {presented}, as the simulator "
            "reported)")
        return True

    async def ask_credentials(self, question: CredentialQuestion) -> CredentialAnswer | None:
        """The demo credentials, once."""
        if question.reason:
            raise AppError(f"the demo credentials were refused: {question.reason}")
        say(f"logging in to {question.device_label} as {self._credentials.username}")
        return CredentialAnswer(self._credentials, remember=False, add_to_site_list=False)

    async def allow_cleartext(self, question: CleartextQuestion) -> bool:
        """Never: the self-test opens demo devices over HTTPS only."""
        say(f"refusing plain HTTP to {question.device_label}")
        return False
