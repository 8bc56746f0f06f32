"""`--demo`: a simulated site in a child process (one device per LAN vendor plus the cloud) and its banner."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.sim.launcher import SimProcess, start_sim_subprocess
from app.ui.demo_banner import DemoBanner, cloud_url
from app.vendors.hikvision.regions import TokenHost

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

#: Below this window height the banner folds its credential lines away when a panel opens.
SMALL_SCREEN_HEIGHT = 900


@dataclass(slots=True)
class DemoSite:
    """The running demo: the device lines the simulator printed, and its process."""

    process: SimProcess
    devices: list[dict[str, Any]]

    async def stop(self) -> None:
        """Stop the simulated site."""
        await self.process.terminate()


#: Extra demo devices started in a state worth showing: (vendor, simulator scenario switched on, or "").
#: The second intercom is a 2N IP Verso (every third simulated intercom is; the first one is a Vario): two
#: display modules that play video.
DEMO_VARIANTS: tuple[tuple[str, str], ...] = (("audiocodes", "ha_pair"), ("two_n", ""))


def demo_args(site: int = 0) -> list[str]:
    """`commissioner sim` arguments on 127.0.0.1: one device of each vendor the demo includes, or with
    `site` a site of that many devices."""
    from app.vendors.registry import demo_vendors

    if site:
        return ["--site", str(site), "--host", "127.0.0.1"]
    vendors = demo_vendors()
    args = ["--count", str(len(vendors) + len(DEMO_VARIANTS)), "--host", "127.0.0.1"]
    for vendor in vendors:
        args += ["--vendor", vendor]
    for position, (variant, scenario) in enumerate(DEMO_VARIANTS, start=len(vendors)):
        args += ["--vendor", variant] + (["--scenario", f"{position}:{scenario}"] if scenario else [])
    return args


async def start_demo(window: MainWindow, site: int = 0) -> DemoSite:
    """Start the site, wait until every device listens, and show the banner with the demo credentials.

    A site of many devices comes with its device list: certificates and passwords are taken from it, as
    an installer's list would give them, so a site job does not ask for each device."""
    window.discovery_label.setText("Starting the simulated site…")
    process = await start_sim_subprocess(demo_args(site))
    try:
        devices = await process.wait_ready()
    except BaseException:
        await process.terminate()
        raise
    log.info("Demo site ready: %d simulated devices on 127.0.0.1", len(devices))
    if site:
        await _adopt_device_list(window, devices)
    banner = DemoBanner(devices)
    banner.add_requested.connect(window.show_add_dialog)
    offer_demo_cloud(window, banner)
    window.set_banner(banner)
    if window.height() < SMALL_SCREEN_HEIGHT:  # a laptop screen: the opened panel needs the room
        window.workspace.panel_opened.connect(lambda _key: banner.show_details(False))
    return DemoSite(process, devices)


async def _adopt_device_list(window: MainWindow, devices: list[dict[str, Any]]) -> None:
    from app.site.jobs.adopt import adopt_listed_devices
    from app.site.jobs.device_list import targets_from
    from app.vendors.registry import is_cloud_service

    listed = targets_from([d for d in devices if not is_cloud_service(str(d.get("vendor", "")))], "demo site")
    services = window.services
    adopted = await adopt_listed_devices(listed, services.trust, services.credentials)
    log.info("Demo site list: %d certificates pinned, %d passwords kept", adopted.pinned, adopted.credentials)


def offer_demo_cloud(window: MainWindow, banner: DemoBanner) -> None:
    """The banner's and the toolbar's Cloud account… open the dialog filled in with the demo cloud."""
    banner.cloud_requested.connect(lambda: _open_cloud(window, banner))
    window.cloud_action.triggered.disconnect()
    window.cloud_action.triggered.connect(lambda: _open_cloud(window, banner))


def _open_cloud(window: MainWindow, banner: DemoBanner) -> None:
    from app.ui.window_actions import show_cloud_dialog

    device = banner.cloud_device()
    if device is None:
        show_cloud_dialog(window)
        return
    url = cloud_url(device)
    show_cloud_dialog(window, url=url, api_key=str(device.get("username", "")),
                      secret=str(device.get("password", "")),
                      extra_presets=(TokenHost("Demo — the simulated cloud on this computer", url),))
