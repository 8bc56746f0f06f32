"""The demo's site of many devices: every demo vendor once, the cloud only once, the rest announced LAN
devices, so a technician sees many intercoms, radars and cameras."""

from __future__ import annotations

from collections import Counter

from app.main import build_parser
from app.sim.site import site_mix
from app.vendors.registry import demo_vendors


def test_a_site_of_thirty_has_each_vendor_once_and_many_announced_devices() -> None:
    mix = site_mix(30)
    counts = Counter(mix)
    assert len(mix) == 30
    assert mix[: len(demo_vendors())] == list(demo_vendors())
    assert counts["hikvision"] == 1
    assert counts["audiocodes"] == 1
    assert min(counts["two_n"], counts["inxpect"], counts["axis"]) >= 9


def test_a_site_smaller_than_the_demo_vendors_is_cut() -> None:
    assert site_mix(2) == list(demo_vendors())[:2]


def test_the_demo_and_the_simulator_take_a_site_size() -> None:
    args = build_parser().parse_args(["--demo", "--site", "30"])
    assert args.site == 30
    assert build_parser().parse_args(["sim", "--site", "12"]).site == 12
