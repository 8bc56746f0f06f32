"""The sample plan shipped for the demo names every device the demo starts, plus the two not there."""

from __future__ import annotations

from app.core.models import VendorId
from app.core.paths import resource
from app.sim.cli import parse_scenarios
from app.sim.site import run_site
from app.site.plan import decode_plan, guess_mapping, parse_plan, read_headers
from app.ui.demo import demo_args


def _demo_site_arguments() -> tuple[list[VendorId], int, dict[int, list[str]]]:
    args = demo_args()
    vendors = [VendorId(args[i + 1]) for i, arg in enumerate(args) if arg == "--vendor"]
    scenarios = parse_scenarios([args[i + 1] for i, arg in enumerate(args) if arg == "--scenario"])
    return vendors, int(args[args.index("--count") + 1]), scenarios


async def test_every_demo_device_is_in_the_sample_plan_and_two_planned_ones_are_not_there() -> None:
    text = decode_plan(resource("plans", "demo-site-plan.csv").read_bytes())
    planned = {row.serial for row in parse_plan(text, guess_mapping(read_headers(text))).rows}
    vendors, count, scenarios = _demo_site_arguments()
    async with run_site(vendors, count, advertise=False, scenarios=scenarios) as site:
        infos = [running.device.info for running in site.devices]
    lan = {info.serial for info in infos if info.vendor != "hikvision"}
    cloud = next(info for info in infos if info.vendor == "hikvision").extra["devices"]
    demo = lan | {device["serial"] for device in cloud}
    assert lan <= planned  # every LAN device of the demo is planned
    assert len(planned - demo) == 2  # RAD-02 and CAM-02: planned, not installed yet
    assert planned & {device["serial"] for device in cloud}  # cloud devices too
