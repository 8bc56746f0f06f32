"""A device list taken into the stores: a certificate is pinned only when the device presents the listed
fingerprint, and the listed password is kept under the device's identity."""

from __future__ import annotations

import dataclasses

from app.backend.credentials import CredentialStore
from app.backend.trust import TrustStore
from app.core.models import Credentials
from app.sim.cli import device_json
from app.sim.site import run_site
from app.site.jobs.adopt import adopt_listed_devices
from app.site.jobs.device_list import targets_from
from app.site.jobs.headless import same_fingerprint


async def test_listed_fingerprints_are_pinned_and_a_wrong_one_is_refused() -> None:
    async with run_site(["two_n"], 2, seed=31, advertise=False) as site:
        good, bad = targets_from([device_json(running) for running in site.devices])
        bad = dataclasses.replace(bad, fingerprint="00:" * 31 + "00")
        trust, credentials = TrustStore(), CredentialStore()

        adopted = await adopt_listed_devices([good, bad], trust, credentials)

        assert (adopted.pinned, adopted.credentials) == (1, 1)
        assert trust.pinned(good.identity.key) is not None
        assert same_fingerprint(trust.pinned(good.identity.key) or "", good.fingerprint)
        assert trust.pinned(bad.identity.key) is None
        assert credentials.device_credentials(good.identity.key) == Credentials(good.username, good.password)
        assert credentials.device_credentials(bad.identity.key) is None
        assert "not the listed fingerprint" in adopted.refused[0]
