"""A device whose serial the unauthenticated probe cannot learn is pinned by address, then by serial."""

from __future__ import annotations

from pathlib import Path

from app.backend.credentials import CredentialStore
from app.backend.history import DeviceHistory
from app.backend.trust import TrustStore
from app.core.clock import SystemClock
from app.core.errors import CertificateError
from app.core.models import Credentials, DeviceCandidate, DeviceIdentity, DeviceState
from app.core.progress import ProgressReporter
from app.sim.certs import make_self_signed
from app.sim.server import serve_device
from app.ui.device_opener import OPEN_STAGES, DeviceOpener
from app.ui.dialogs.credentials import CredentialAnswer
from app.vendors.audiocodes.plugin import PLUGIN


async def test_sbc_with_a_ca_issued_certificate_is_pinned_by_address_then_by_serial(tmp_path: Path) -> None:
    simulator = PLUGIN.create_simulator(serial_index=7, seed=1, clock=SystemClock())
    certificate = make_self_signed("sbc.site.example", organization="Site CA")  # no ACL_<serial> name
    trust = TrustStore(tmp_path / "trust.json")
    history = DeviceHistory(tmp_path / "history.sqlite3")
    prompts: list[str] = []
    states: list[tuple[str, DeviceState]] = []

    async def decide(error: CertificateError, label: str) -> bool:
        prompts.append(error.identity)
        return True

    async def ask(label: str, username: str, reason: str) -> CredentialAnswer:
        info = simulator.info
        credentials = Credentials(info.username, info.password)
        return CredentialAnswer(credentials, remember=False, add_to_site_list=False)

    opener = DeviceOpener(
        trust, CredentialStore(directory=tmp_path / "creds"), decide_certificate=decide, ask_credentials=ask,
        on_state=lambda key, state: states.append((key, state)), history=history,
    )
    async with serve_device(simulator, certificate=certificate) as running:
        address_key = f"audiocodes@{running.endpoint.host}:{running.endpoint.port}"
        candidate = DeviceCandidate(running.endpoint, DeviceIdentity(vendor="audiocodes", model="Mediant"))
        opened = await opener.open(candidate, ProgressReporter(OPEN_STAGES))
        assert opened is not None
        try:
            assert prompts == [address_key]
            assert opened.identity.serial == simulator.info.serial
            assert trust.pinned(opened.identity.key) == running.fingerprint
            assert trust.pinned(address_key) is None
            assert states[-1] == (opened.identity.key, DeviceState.ONLINE)
            actions = [(e.action, e.result) for e in history.entries(opened.identity.key)]
            assert ("Certificate", "pinned to the serial read after login") in actions
        finally:
            await opened.aclose()
    history.close()
