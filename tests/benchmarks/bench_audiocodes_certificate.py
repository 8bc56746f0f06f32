"""The whole Mediant certificate wizard against a simulated Mediant over loopback HTTPS, timed.

Each run: a fresh simulated device; read the contexts, generate a 2048-bit key on the device, build the
CSR (sha256), sign it with the demo CA, review it, add the demo CA to the context's trusted roots,
install, save, and verify by a TLS handshake that the device serves it. Prints the median and the
spread of `--runs` runs (default 10). Asserts nothing.
    uv run python -m tests.benchmarks.bench_audiocodes_certificate [--runs 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time

from app.backend.session import pinned_client
from app.backend.trust import fetch_certificate
from app.core.clock import SystemClock
from app.core.models import Credentials
from app.core.progress import ProgressReporter
from app.sim.certs import DeviceCertificate
from app.sim.server import serve_device
from app.vendors.audiocodes.certificate_wizard import INSTALL_STAGES, CertificateWizardController
from app.vendors.audiocodes.client import AudioCodesClient
from app.vendors.audiocodes.models import SubjectFields
from app.vendors.audiocodes.simulator import AudioCodesSimulator, ServedCertificate


def _certificate(pair: ServedCertificate) -> DeviceCertificate:
    return DeviceCertificate(pair.key_pem, pair.cert_pem, pair.cert_der)


async def one_wizard(index: int) -> float:
    """Seconds for one whole wizard, from reading the contexts to the confirming handshake."""
    sim = AudioCodesSimulator(serial_index=index, seed=index, clock=SystemClock())
    async with serve_device(sim, certificate=_certificate(sim.served_certificate())) as running:
        sim.on_certificate_changed = lambda pair: running.reload_certificate(_certificate(pair))
        first = await fetch_certificate(running.endpoint)
        async with pinned_client(first.der) as http:
            client = AudioCodesClient(http, running.endpoint, Credentials("Admin", "Admin"))
            wizard = CertificateWizardController(
                client, device_key=f"audiocodes:{sim.state.serial}", endpoint=running.endpoint,
                fetch_certificate=fetch_certificate,
            )
            started = time.perf_counter()
            await wizard.load()
            await wizard.validate_context("0")
            await wizard.validate_key(2048)
            await wizard.validate_request(SubjectFields(common_name="127.0.0.1", country="IT"))
            signed = wizard.demo_signed()
            await wizard.validate_import(signed)
            await wizard.add_roots_from_file()
            await wizard.validate_import(signed)  # now anchored in the context's trusted roots
            result = await wizard.install(ProgressReporter(INSTALL_STAGES))
            elapsed = time.perf_counter() - started
            await client.aclose()
    anchored = wizard.review is not None and wizard.review.anchored
    if not result.confirmed or result.verified_by != "TLS handshake" or not anchored:
        raise SystemExit(f"run {index}: the wizard did not confirm by handshake: {result.message}")
    return elapsed


async def main(runs: int) -> None:
    """Run the wizard `runs` times and print the figures."""
    times = [await one_wizard(index) for index in range(runs)]
    print(f"certificate wizard, {runs} runs (2048-bit key on the device, demo CA, handshake check):")
    print(f"  median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:  # requests and pins stay out of the real app data
        os.environ["COMMISSIONER_DATA_DIR"] = data
        asyncio.run(main(arguments.runs))
