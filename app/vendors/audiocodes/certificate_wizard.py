"""The certificate wizard's Qt-free controller: key on the device, CSR, then the signed certificate installed.

Steps: choose a TLS context (with a device-clock check), generate the key, build and save the CSR;
later import the signed certificate (reviewed before sending), install it, save the configuration,
and confirm by a TLS handshake that the device serves it, updating the app's pin as an expected change.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from app.core.certificates import CertificateDetails
from app.core.clock import Clock, SystemClock
from app.core.file_names import saved_file
from app.core.models import Endpoint
from app.core.paths import data_dir
from app.core.progress import ProgressReporter
from app.vendors.audiocodes import known_certificates
from app.vendors.audiocodes.certificate_check import (
    CertificateFileError,
    CertificateReview,
    completes_chain,
    load_certificates,
    public_key_der,
    review_certificate,
)
from app.vendors.audiocodes.client import KEY_SIZES, AudioCodesClient
from app.vendors.audiocodes.models import DeviceStatus, PrivateKeyInfo, SubjectFields, TlsContext

CLOCK_TOLERANCE = timedelta(minutes=10)
DEFAULT_KEY_SIZE = 2048
DEFAULT_ALGORITHM = "sha256"
WEB_CONTEXT = "0"
INSTALL_STAGES = ("Uploading the certificate", "Saving the configuration", "Checking what the device serves")
_COUNTRY = re.compile(r"[A-Z]{2}")
_FIELD_LIMITS = {
    "common_name": 64,
    "organizational_unit": 64,
    "organization": 64,
    "locality": 128,
    "state": 128,
}

Fetch = Callable[[Endpoint], Awaitable[CertificateDetails]]


class Step(enum.Enum):
    """Where the wizard is."""

    CONTEXT = "Choose the TLS context"
    KEY = "Generate the private key"
    REQUEST = "Create the signing request"
    IMPORT = "Import the signed certificate"
    INSTALL = "Install and confirm"
    DONE = "Done"


class PinUpdater(Protocol):
    """The part of app.backend.trust.TrustStore the wizard uses."""

    def replace_expected(self, key: str, new_details: CertificateDetails) -> None:
        """Pin a certificate the app itself installed and confirmed."""
        ...


@dataclass(frozen=True, slots=True)
class ClockCheck:
    """The device's clock against the laptop's; `warning` is "" when they agree."""

    device_time: str
    skew: timedelta | None
    warning: str


@dataclass(frozen=True, slots=True)
class InstallResult:
    """What the install step achieved; `confirmed` when the handshake showed the new certificate."""

    installed_fingerprint: str
    served_fingerprint: str
    confirmed: bool
    message: str


def key_size_warning(size: int) -> str:
    """Why a key size is a poor choice, or "" for 2048 bits and more."""
    if size < DEFAULT_KEY_SIZE:
        return (
            f"{size}-bit RSA keys are considered breakable; browsers and most SIP peers refuse them. "
            f"Use {DEFAULT_KEY_SIZE} bits unless the far end cannot handle it."
        )
    if size > DEFAULT_KEY_SIZE:
        return f"{size}-bit keys take the device noticeably longer to generate and slow every TLS handshake."
    return ""


def validate_subject(subject: SubjectFields, algorithm: str) -> list[str]:
    """Problems with the CSR subject and signature algorithm; empty when they are acceptable."""
    problems: list[str] = []
    if not subject.common_name.strip():
        problems.append("The common name (CN) is required: the device's host name or address.")
    if subject.country and not _COUNTRY.fullmatch(subject.country):
        problems.append("The country must be two capital letters (ISO 3166), for example IT or DE.")
    for name, limit in _FIELD_LIMITS.items():
        if len(getattr(subject, name)) > limit:
            problems.append(f"The {name.replace('_', ' ')} may be at most {limit} characters.")
    if algorithm not in ("sha256", "sha512"):
        problems.append("SHA-1 signatures are refused by current CAs; choose sha256 (or sha512).")
    return problems


def request_path(device_key: str, context_id: str) -> Path:
    """Where the app keeps the CSR of a device's TLS context until the signed certificate comes back."""
    folder = data_dir() / "audiocodes" / "requests"
    return saved_file(folder, device_key or "unknown", f"tls{context_id}", suffix=".csr.pem")


class CertificateWizardController:
    """The wizard's state and checks; every device call goes through the AudioCodesClient."""

    def __init__(
        self,
        client: AudioCodesClient,
        *,
        device_key: str,
        endpoint: Endpoint,
        fetch_certificate: Fetch,
        pins: PinUpdater | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.client = client
        self.device_key = device_key
        self.endpoint = endpoint
        self._fetch = fetch_certificate
        self._pins = pins
        self.clock: Clock = clock or SystemClock()
        self.step = Step.CONTEXT
        self.contexts: list[TlsContext] = []
        self.context_id = WEB_CONTEXT
        self.clock_check: ClockCheck | None = None
        self.key_info: PrivateKeyInfo | None = None
        self.csr_pem: bytes = b""
        self.review: CertificateReview | None = None
        self._imported: bytes = b""

    # --- step 1: context and clock ------------------------------------------------------------------

    async def load(self) -> list[TlsContext]:
        """Read the TLS contexts and check the device's clock against the laptop's."""
        self.contexts = await self.client.tls_contexts()
        self.clock_check = self.check_clock(await self.client.status())
        return self.contexts

    def check_clock(self, status: DeviceStatus) -> ClockCheck:
        """Compare the device's local time with the laptop's; warn beyond CLOCK_TOLERANCE."""
        if status.local_time is None:
            return ClockCheck(
                "unknown", None, "The device did not report its time; check it before continuing."
            )
        device = status.local_time
        skew = device - self.clock.now()
        text = f"{device:%Y-%m-%d %H:%M:%S} UTC"
        if abs(skew) <= CLOCK_TOLERANCE:
            return ClockCheck(text, skew, "")
        direction = "ahead of" if skew > timedelta(0) else "behind"
        return ClockCheck(
            text,
            skew,
            (
                f"The device's clock is {_duration(abs(skew))} {direction} this laptop's. "
                "Certificates are checked against the clock: set the device's time (NTP) first, "
                "or the new certificate may look invalid."
            ),
        )

    async def validate_context(self, context_id: str) -> PrivateKeyInfo:
        """Choose a context; returns its current key's size and validity."""
        if context_id not in {c.id for c in self.contexts}:
            raise ValueError(f"TLS context {context_id} does not exist on the device")
        self.context_id = context_id
        self.key_info = await self.client.private_key(context_id)
        self.csr_pem = self.kept_request()
        self.step = Step.KEY
        return self.key_info

    def kept_request(self) -> bytes:
        """The CSR kept from an earlier visit for this context, or b""."""
        path = request_path(self.device_key, self.context_id)
        return path.read_bytes() if path.is_file() else b""

    # --- step 2: key --------------------------------------------------------------------------------

    async def validate_key(self, size: int) -> PrivateKeyInfo:
        """Generate a new key of `size` bits on the device (it never leaves it) and read its status back."""
        if size not in KEY_SIZES:
            raise ValueError(f"key size must be one of {KEY_SIZES}")
        await self.client.generate_private_key(self.context_id, size)
        self.key_info = await self.client.private_key(self.context_id)
        self.csr_pem = b""
        self.step = Step.REQUEST
        return self.key_info

    def keep_current_key(self) -> None:
        """Skip generation and build the request for the key already on the device."""
        self.step = Step.REQUEST

    # --- step 3: request ----------------------------------------------------------------------------

    async def validate_request(self, subject: SubjectFields, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
        """Have the device build the CSR; it is kept in the app's data so the reply can be checked later."""
        problems = validate_subject(subject, algorithm)
        if problems:
            raise ValueError(" ".join(problems))
        csr = await self.client.certificate_request(self.context_id, subject, algorithm)
        x509.load_pem_x509_csr(csr)
        path = request_path(self.device_key, self.context_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(csr)
        self.csr_pem = csr
        self.step = Step.IMPORT
        return csr

    def save_request(self, target: Path) -> Path:
        """Write the CSR to a file for the CA."""
        if not self.csr_pem:
            raise ValueError("There is no signing request yet.")
        target.write_bytes(self.csr_pem)
        return target

    # --- step 4: import -----------------------------------------------------------------------------

    async def expected_public_key(self) -> bytes:
        """The device key's public half: from the kept CSR, else from a fresh CSR the device makes now."""
        csr = self.csr_pem or self.kept_request()
        if not csr:
            csr = await self.client.certificate_request(
                self.context_id, SubjectFields(common_name="key check"), DEFAULT_ALGORITHM
            )
        return public_key_der(x509.load_pem_x509_csr(csr))

    async def validate_import(self, data: bytes) -> CertificateReview:
        """Review a signed certificate file: PEM, validity, key match, chain to the device's trusted roots."""
        load_certificates(data)
        self._imported = data
        roots_pem = await self.client.trusted_roots(self.context_id)
        roots = load_certificates(roots_pem) if roots_pem.strip() else []
        self.review = review_certificate(
            data, expected_key=await self.expected_public_key(), trusted_roots=roots, now=self.clock.now()
        )
        if self.review.installable:
            self.step = Step.INSTALL
        return self.review

    async def add_roots_from_file(self) -> int:
        """Add the file's CA certificates to the context's trusted roots; returns how many."""
        if self.review is None:
            return 0
        for root in self.review.addable_roots:
            await self.client.add_trusted_root(self.context_id, root)
        return len(self.review.addable_roots)

    async def add_root_certificate(self, ca_data: bytes) -> CertificateReview:
        """Add a CA file's certificates as trusted roots if they anchor the imported chain; review again."""
        cas = load_certificates(ca_data)
        if not self._imported or not completes_chain(self._imported, cas):
            raise CertificateFileError(
                "This CA certificate did not issue the signed certificate; nothing was added. "
                "Choose the root certificate of the CA that signed it."
            )
        for ca in cas:
            await self.client.add_trusted_root(self.context_id, ca.public_bytes(serialization.Encoding.PEM))
        return await self.validate_import(self._imported)

    # --- step 5: install ------------------------------------------------------------------------------

    async def install(self, reporter: ProgressReporter) -> InstallResult:
        """Upload, save the configuration, then confirm by handshake and re-pin (web context only)."""
        review = self.review
        if review is None or not review.installable:
            raise ValueError("Review an installable certificate first.")
        reporter.stage(INSTALL_STAGES[0])
        await self.client.upload_certificate(self.context_id, review.leaf_pem)
        reporter.stage(INSTALL_STAGES[1])
        await self.client.save_configuration()
        reporter.stage(INSTALL_STAGES[2])
        result = await self._confirm(review.details)
        if result.confirmed:
            request_path(self.device_key, self.context_id).unlink(missing_ok=True)
            self.step = Step.DONE
        return result

    async def _confirm(self, installed: CertificateDetails) -> InstallResult:
        if self.context_id != WEB_CONTEXT:
            served = x509.load_pem_x509_certificate(await self.client.certificate(self.context_id))
            same = served.fingerprint(hashes.SHA256()).hex().upper() == installed.fingerprint.replace(":", "")
            note = "The device reports the new certificate for this context (it secures SIP or other TLS)."
            return InstallResult(installed.fingerprint, installed.fingerprint if same else "", same, note)
        presented = await self._fetch(self.endpoint)
        if presented.fingerprint != installed.fingerprint:
            return InstallResult(
                installed.fingerprint,
                presented.fingerprint,
                False,
                (
                    "The device still presents another certificate on its web port. It may apply the new one "
                    "after a restart; the app's trusted certificate was left unchanged."
                ),
            )
        if self._pins is not None:
            self._pins.replace_expected(self.device_key, presented)
        if self.client.last_status is not None:
            known_certificates.remember(presented.fingerprint, self.client.last_status.serial_number)
        self.client.adopt_certificate(presented.der)
        return InstallResult(
            installed.fingerprint,
            presented.fingerprint,
            True,
            ("The device now serves the new certificate; the app trusts it for this device from now on."),
        )


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"
