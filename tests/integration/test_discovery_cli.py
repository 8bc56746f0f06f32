"""`commissioner discover` in one process against `commissioner sim` in another, over loopback mDNS."""

from __future__ import annotations

import asyncio
import json
import random
import sys

from app.sim.launcher import start_sim_subprocess


def _first_index() -> str:
    # Serials unlike any other site on this machine (a demo, another engineer's tests share loopback mDNS).
    return str(random.randrange(1000, 9000))


async def _discover_text(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app", "--log-level", "WARNING", "discover", "--interface", "127.0.0.1", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 40)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def _discover(*args: str) -> tuple[int, list[dict[str, object]], str]:
    code, stdout, stderr = await _discover_text(*args, "--json")
    return code, [json.loads(line) for line in stdout.splitlines()], stderr


async def test_discover_lists_and_identifies_every_announced_simulated_device() -> None:
    sim_args = ["--count", "5", "--seed", "31", "--first-index", _first_index()]
    async with await start_sim_subprocess(sim_args) as site:
        devices = await site.wait_ready(timeout=40)
        code, found, stderr = await _discover("--timeout", "3", "--timing")
    assert await site.terminate() == 0

    assert sorted(d["vendor"] for d in devices) == ["audiocodes", "axis", "hikvision", "inxpect", "two_n"]
    announced = [d for d in devices if d.get("service_type")]
    assert {d["vendor"] for d in announced} == {"axis", "inxpect", "two_n"}  # no mDNS: audiocodes, the cloud
    assert code == 0, stderr
    by_place = {(line["serial"], line["port"]): line for line in found}
    for device in announced:
        line = by_place[(device["serial"], device["port"])]
        assert line["identified"] is True
        assert (line["vendor"], line["model"]) == (device["vendor"], device["model"])
        assert line["host"] == "127.0.0.1"
        assert line["addresses"] == ["127.0.0.1"]
        assert line["fingerprint"] == device["fingerprint"]
        assert line["state"] == "certificate untrusted"
        assert str(line["service_type"]).endswith("._tcp.local.")
        assert line["instance_name"] == device["instance_name"]
    timing = json.loads(next(text for text in stderr.splitlines() if text.startswith('{"timing"')))["timing"]
    assert timing["identified"] >= len(announced)


async def test_discover_adds_a_device_without_mdns_by_address() -> None:
    async with await start_sim_subprocess(
        ["--count", "1", "--vendor", "audiocodes", "--seed", "32", "--first-index", _first_index()]
    ) as site:
        (device,) = await site.wait_ready(timeout=40)
        code, found, stderr = await _discover("--timeout", "0", "--add", f"127.0.0.1:{device['port']}")
    assert code == 0, stderr
    line = next(line for line in found if line["port"] == device["port"])
    assert (line["vendor"], line["serial"], line["identified"]) == ("audiocodes", device["serial"], True)
    assert line["service_type"] == ""


async def test_discover_without_json_prints_a_table_and_reports_a_shortfall() -> None:
    code, stdout, stderr = await _discover_text("--timeout", "0.5", "--expect", "1000")
    assert code == 1
    header = stdout.splitlines()[0].split()
    assert header == ["vendor", "model", "serial", "firmware", "host", "port", "state"]
    assert stdout.splitlines()[-1].endswith("identified")
    assert "of 1000 expected devices identified" in stderr
