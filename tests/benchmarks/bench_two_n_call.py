"""Test call in the 2N panel's Calls tab: button press -> "ringing" shown, and -> "connected" shown.

Runs the simulated intercom as a real HTTPS server on 127.0.0.1 (pinned certificate, Digest auth) in the
same process and event loop as the GUI, as the demo does. The simulated peer rings `--ring-after` s after
the dial and answers `--answer-after` s later; both delays are inside the figures. The label is checked
every millisecond. Prints median and p99; asserts nothing.
    uv run python -m tests.benchmarks.bench_two_n_call [--count 50] [--ring-after 0] [--answer-after 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_API"] = "pyside6"

import qasync
from PySide6.QtWidgets import QApplication

from app.backend.history import DeviceHistory
from app.backend.session import pinned_client
from app.core.clock import SystemClock
from app.core.models import Credentials, DeviceIdentity
from app.sim.server import serve_device
from app.ui.gui_thread_gc import GuiThreadCollector
from app.ui.panel_context import PanelContext
from app.ui.panels.two_n.calls_tab import CallsTab
from app.ui.panels.two_n.panel import TwoNPanel
from app.ui.plain_text import install_plain_text_default
from app.ui.tasks import TaskRunner
from app.vendors.two_n.client import TwoNClient
from app.vendors.two_n.simulator import TwoNSimulator
from app.vendors.two_n.simulator.phone import SipTiming
from tests.benchmarks.bench_axis_nudge import percentile


async def shown(tab: CallsTab, ending: str, timeout: float = 10.0) -> None:
    """Until the call state label ends with `ending` (checked every millisecond)."""
    deadline = time.perf_counter() + timeout
    while not tab.call_state.text().endswith(ending):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{ending!r} not shown; label says {tab.call_state.text()!r}")
        await asyncio.sleep(0.001)


async def one_call(tab: CallsTab) -> tuple[float, float]:
    """Press Call; milliseconds to "ringing" and to "connected" shown; then hang up and wait for the end."""
    started = time.perf_counter()
    tab.call_button.click()
    await shown(tab, ": ringing")
    ringing = time.perf_counter()
    await shown(tab, ": connected")
    connected = time.perf_counter()
    tab.hangup_button.click()
    await shown(tab, ": ended")
    while not tab.call_button.isEnabled():
        await asyncio.sleep(0.001)
    return (ringing - started) * 1000, (connected - started) * 1000


def report(name: str, samples: list[float]) -> None:
    """Print one figure's median, p99 and max."""
    print(f"  {name:28} median {statistics.median(samples):7.1f} ms   p99 {percentile(samples, 0.99):7.1f} ms"
          f"   max {max(samples):7.1f} ms")


async def measure(count: int, timing: SipTiming, workdir: Path) -> None:
    """Open the panel on a served simulator and time `count` test calls."""
    sim = TwoNSimulator(serial_index=0, seed=1, clock=SystemClock())
    sim.phone.timing = timing
    history = DeviceHistory(workdir / "history.sqlite")
    async with serve_device(sim) as running:
        assert running.certificate is not None
        async with pinned_client(running.certificate.cert_der) as http:
            client = TwoNClient(http, running.endpoint, Credentials(sim.info.username, sim.info.password))
            identity = DeviceIdentity("two_n", sim.info.model, serial=sim.serial)
            tasks = TaskRunner(lambda level, text: print(f"[{level}] {text}"))
            context = PanelContext(identity, running.endpoint, client, tasks, history, lambda *_: None)
            panel = TwoNPanel(context)
            panel.resize(1200, 800)
            panel.show()
            tab = panel.calls_tab
            panel.tabs.setCurrentWidget(tab)
            tab.number.setText("sip:2001@127.0.0.1")
            while tab.accounts.rowCount() == 0:
                await asyncio.sleep(0.01)
            samples = [await one_call(tab) for _ in range(count)]
            panel.close_panel()
            panel.deleteLater()
            await asyncio.sleep(0.05)
    history.close()
    print(f"2N test call over loopback HTTPS (Calls tab, button press -> label), n={count}; simulated peer "
          f"rings after {timing.ring_after * 1000:.0f} ms, answers {timing.answer_after * 1000:.0f} ms later")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  machine load average (1/5/15 min) {load} on {os.cpu_count()} cores; other work inflates these")
    report('press -> "ringing" shown', [ringing for ringing, _ in samples])
    report('press -> "connected" shown', [connected for _, connected in samples])


def main() -> None:
    """Parse arguments and run the benchmark on a qasync loop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--ring-after", type=float, default=0.0)
    parser.add_argument("--answer-after", type=float, default=0.2)
    args = parser.parse_args()
    timing = SipTiming(ring_after=args.ring_after, answer_after=args.answer_after)
    app = QApplication.instance() or QApplication([])
    app.setQuitOnLastWindowClosed(False)
    install_plain_text_default(app)  # as the app does
    GuiThreadCollector(app).start()  # as the app does
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COMMISSIONER_DATA_DIR"] = tmp
        with loop:
            loop.run_until_complete(measure(args.count, timing, Path(tmp)))


if __name__ == "__main__":
    main()
