"""Headless job inputs: device lists (sim JSON lines, CSV), password files, and prompts that trust only
the certificate the list names."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.certificates import CertificateDetails
from app.core.errors import ConfigurationError
from app.core.models import Endpoint, VendorId
from app.site.jobs.device_list import PasswordList, read_device_list
from app.site.jobs.headless import HeadlessPrompts
from app.site.jobs.model import JobTarget
from app.site.prompts import CleartextQuestion, CredentialQuestion, TrustQuestion
from tests.unit.site.job_fakes import FakeAccess, FakeDevice, Site

FINGERPRINT = "AB:CD:" + ":".join(["01"] * 30)


def certificate(fingerprint: str = FINGERPRINT) -> CertificateDetails:
    now = datetime.now(UTC)
    return CertificateDetails("CN=device", "CN=device", now, now, fingerprint, b"")


def trust_question(fingerprint: str = FINGERPRINT, pinned: str | None = None) -> TrustQuestion:
    return TrustQuestion("device", "two_n:1", certificate(fingerprint), pinned)


def target(fingerprint: str = "") -> JobTarget:
    return JobTarget(VendorId("two_n"), "127.0.0.1", 4443, username="admin", password="pw",
                     fingerprint=fingerprint)


def test_sim_json_lines_are_read_and_the_ready_line_ignored(tmp_path: Path) -> None:
    lines = [{"vendor": "two_n", "model": "2N IP Verso", "serial": "54-1", "mac": "FC:1E", "firmware": "2.37",
              "host": "127.0.0.1", "port": 4443, "scheme": "https", "username": "admin", "password": "s3cret",
              "fingerprint": FINGERPRINT, "display": "/sim/display.png"},
             {"ready": True, "count": 1, "failed": 0}]
    path = tmp_path / "devices.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    [device] = read_device_list(path)
    assert (device.vendor, device.serial, device.model, device.port, device.password) == (
        "two_n", "54-1", "2N IP Verso", 4443, "s3cret")
    assert device.fingerprint == FINGERPRINT
    assert device.key == "two_n@127.0.0.1:4443"
    assert "s3cret" not in repr(device)


def test_a_csv_with_the_same_columns_is_read(tmp_path: Path) -> None:
    path = tmp_path / "devices.csv"
    path.write_text("vendor,host,port,scheme,username,password,fingerprint\n"
                    f"inxpect,10.0.0.5,443,https,,msk,{FINGERPRINT}\n"
                    "two_n,10.0.0.6,,https,admin,2n,\n")
    first, second = read_device_list(path)
    assert (first.vendor, first.host, first.port, first.username, first.password) == (
        "inxpect", "10.0.0.5", 443, "", "msk")
    assert (second.port, second.fingerprint) == (443, "")


@pytest.mark.parametrize(("text", "complaint"), [
    ("vendor,host\nacme,10.0.0.1\n", "line 2: unknown vendor 'acme'"),
    ("vendor,host,port\ntwo_n,10.0.0.1,http\n", "line 2: the port 'http' is not a number"),
    ('{"vendor": "two_n"}\n', "line 1: a device needs at least a vendor and a host"),
    ('{"vendor": "two_n", "host": "h"}\n{oops\n', "line 2: not a JSON object"),
    ("vendor,host\n", "lists no device"),
])
def test_an_unusable_list_names_its_line(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "devices"
    path.write_text(text)
    with pytest.raises(ConfigurationError, match=complaint):
        read_device_list(path)


async def test_password_file_one_for_all_or_one_per_serial(tmp_path: Path) -> None:
    site = Site().add(FakeDevice("1"), FakeDevice("2"))
    access = FakeAccess(site)
    one, two = [await access.open(device.target) for device in site.devices.values()]
    shared = tmp_path / "shared"
    shared.write_text("# the site's password\nSame-for-all\n")
    assert PasswordList.read(shared)(one) == PasswordList.read(shared)(two) == "Same-for-all"
    each = tmp_path / "each"
    each.write_text("1,first-one\nfake:2 , second-one\n")
    passwords = PasswordList.read(each)
    assert (passwords(one), passwords(two)) == ("first-one", "second-one")
    each.write_text("1,first-one\njust-a-password\n")
    with pytest.raises(ConfigurationError, match="entry 2 is not SERIAL,PASSWORD"):
        PasswordList.read(each)


async def test_headless_prompts_trust_only_the_fingerprint_the_list_names() -> None:
    listed = HeadlessPrompts(target(fingerprint=FINGERPRINT.lower().replace(":", "")))
    assert await listed.decide_trust(trust_question())
    other = HeadlessPrompts(target(fingerprint=FINGERPRINT))
    assert not await other.decide_trust(trust_question("AB:CD:" + ":".join(["02"] * 30)))
    assert "not the fingerprint in the list" in other.declined_trust
    unlisted = HeadlessPrompts(target())
    assert not await unlisted.decide_trust(trust_question())
    changed = HeadlessPrompts(target(fingerprint=FINGERPRINT))
    assert not await changed.decide_trust(trust_question(pinned="EE:" * 31 + "EE"))
    assert "certificate changed" in changed.declined_trust


async def test_headless_prompts_offer_the_list_credentials_once_and_never_plain_http() -> None:
    prompts = HeadlessPrompts(target())
    answer = await prompts.ask_credentials(CredentialQuestion("device"))
    assert answer is not None
    assert (answer.credentials.username, answer.credentials.password) == ("admin", "pw")
    assert not answer.remember
    assert not answer.add_to_site_list
    assert await prompts.ask_credentials(CredentialQuestion("device", reason="refused")) is None
    assert prompts.credentials_refused == "refused"
    assert not await prompts.allow_cleartext(CleartextQuestion("device", Endpoint("127.0.0.1", 80, "http")))
    assert await HeadlessPrompts(target()).ask_credentials(CredentialQuestion("d", cleartext=True)) is None
