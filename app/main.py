"""Composition root: parses arguments and starts the GUI, the simulated site or headless discovery."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """The command line: GUI by default, `sim`, `discover` and `site` subcommands."""
    from app.vendors.registry import vendor_ids

    parser = argparse.ArgumentParser(
        prog="commissioner", description="Find and commission devices on site."
    )
    parser.add_argument("--demo", action="store_true", help="start an embedded simulated site, open the GUI")
    parser.add_argument(
        "--self-test", action="store_true",
        help="with --demo: discover the demo devices, open one panel, then exit 0 (or 1 on failure)",
    )
    parser.add_argument("--site", type=int, default=0, metavar="N",
                        help="with --demo: a site of N simulated devices (many intercoms, radars, cameras)")
    parser.add_argument("--interface", action="append", default=None,
                        help="interface address to browse mDNS on (repeatable; default: all real interfaces)")
    parser.add_argument("--log-level", default="INFO", help="logging level (DEBUG, INFO, WARNING)")
    sub = parser.add_subparsers(dest="command")

    sim = sub.add_parser("sim", help="run a simulated site on loopback until interrupted")
    sim.add_argument("--count", type=int, default=5, help="number of devices (mixed across vendors)")
    sim.add_argument(
        "--vendor", choices=vendor_ids(), action="append", help="limit to this vendor (repeatable)"
    )
    sim.add_argument("--site", type=int, default=0, metavar="N",
                     help="a site of N devices: one of each demo vendor, the rest announced LAN devices")
    sim.add_argument("--json", action="store_true", help="one JSON object per device, one per line")
    sim.add_argument("--host", default="127.0.0.1", help="address to listen and advertise on")
    sim.add_argument("--seed", type=int, default=1, help="random seed for the simulated scenes")
    sim.add_argument("--scenario", action="append", metavar="INDEX:NAME",
                     help="switch a simulator scenario on in the INDEX-th device (0-based; repeatable)")
    sim.add_argument("--first-index", type=int, default=0,
                     help="serial index of the first device (two sites side by side need different ones)")

    discover = sub.add_parser("discover", help="browse mDNS, identify devices, print them and exit")
    discover.add_argument("--interface", dest="discover_interfaces", action="append", default=None,
                          help="interface address to browse on (repeatable)")
    discover.add_argument("--timeout", type=float, default=3.0, help="seconds to browse")
    discover.add_argument("--json", action="store_true", help="one JSON object per device")
    discover.add_argument("--expect", type=int, default=0,
                          help="stop as soon as this many devices are identified (0: wait the full timeout)")
    discover.add_argument("--add", action="append", metavar="HOST[:PORT]",
                          help="also identify the device at this address (repeatable; devices without mDNS)")
    discover.add_argument("--scan", action="append", metavar="RANGE",
                          help="also scan an IPv4 range: 10.0.0.5-20, 10.0.0.5-10.0.0.40 or 10.0.0.0/24")
    discover.add_argument("--port", dest="ports", action="append", metavar="PORT",
                          help="extra TCP port for --add/--scan besides the vendors' defaults (repeatable)")
    discover.add_argument("--timing", action="store_true",
                          help="print seconds from browse start until listed/identified to stderr (JSON)")
    from app.site.jobs.cli import add_site_parser

    add_site_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command the arguments name and return the process exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "sim":
        from app.sim.cli import run_sim_command

        return run_sim_command(args)
    if args.command == "discover":
        from app.discovery.cli import run_discover_command

        return run_discover_command(args)
    if args.command == "site":
        from app.site.jobs.cli import run_site_command

        return run_site_command(args)
    from app.ui.application import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
