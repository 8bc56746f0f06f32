"""The certificate wizard's Qt-free controller: key on the device, CSR, then the signed certificate installed.

Steps: choose a TLS context (with a device-clock check), generate the key, build and save the CSR;
later import the signed certificate (reviewed before sending), install it with its intermediates,
save the configuration, and confirm what the device serves (by a TLS handshake where it serves the
context, else by reading it back), updating the app's pin as an expected change. Unsafe keys and
certificates stop the wizard unless the technician overrides with a reason, recorded in the history.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

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
    UnsafeCertificateError,
    completes_chain,
    load_certificates,
    public_key_der,
    review_certificate,
    weak_key_refusal,
)
from app.vendors.audiocodes.client import KEY_SIZES, AudioCodesClient
from app.vendors.audiocodes.demo_ca import DemoCa
from app.vendors.audiocodes.key_import import KeyBundle
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


class HistoryRecorder(Protocol):
    """The part of app.backend.history.DeviceHistory the wizard uses."""

    def record(
        self, device_key: str, action: str, result: str, detail: Mapping[str, Any] | None = None
    ) -> None:
        """Append one entry to the device's history."""
        ...


OVERRIDE_ACTION = "TLS safety check overridden"
OVERRIDE_HINT = "To go ahead anyway, give a reason; it is recorded in the device's history."


@dataclass(frozen=True, slots=True)
class Override:
    """A safety check the technician overrode: what was done, what the checks found, and why."""

    action: str
    findings: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class ClockCheck:
    """The device's clock against the laptop's; `warning` is "" when they agree."""

    device_time: str
    skew: timedelta | None
    warning: str


@dataclass(frozen=True, slots=True)
class InstallResult:
    """What the install achieved: `installed_chain` (intermediates added to the context's trusted roots),
    `confirmed` when the device serves the certificate, and how that was checked (`verified_by`)."""

    installed_fingerprint: str
    served_fingerprint: str
    confirmed: bool
    message: str
    verified_by: str = ""
    installed_chain: tuple[str, ...] = ()


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
        history: HistoryRecorder | None = None,
    ) -> None:
        self.client = client
        self.device_key = device_key
        self.endpoint = endpoint
        self._fetch = fetch_certificate
        self._pins = pins
        self._history = history
        self.overrides: list[Override] = []
        self._demo_ca: DemoCa | None = None
        self._bundle: KeyBundle | None = None
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

    # --- overrides ------------------------------------------------------------------------------------

    def _require_override(self, action: str, findings: list[str], reason: str) -> None:
        """Refuse `action` for `findings` unless `reason` is given; a given reason is kept and recorded."""
        if not findings:
            return
        if not reason.strip():
            raise UnsafeCertificateError(" ".join([*findings, OVERRIDE_HINT]))
        override = Override(action, tuple(findings), reason.strip())
        self.overrides.append(override)
        if self._history is not None:
            self._history.record(
                self.device_key,
                OVERRIDE_ACTION,
                action,
                {"context": self.context_id, "findings": list(findings), "reason": override.reason},
            )

    # --- step 2: key --------------------------------------------------------------------------------

    async def validate_key(self, size: int, override_reason: str = "") -> PrivateKeyInfo:
        """Generate a new key of `size` bits on the device (it never leaves it) and read its status back;
        a key under MIN_KEY_BITS needs `override_reason` (UnsafeCertificateError without one)."""
        if size not in KEY_SIZES:
            raise ValueError(f"key size must be one of {KEY_SIZES}")
        weak = weak_key_refusal(size)
        self._require_override(f"Generate a {size}-bit key", [weak] if weak else [], override_reason)
        await self.client.generate_private_key(self.context_id, size)
        self.key_info = await self.client.private_key(self.context_id)
        self.csr_pem = b""
        self.step = Step.REQUEST
        return self.key_info

    def keep_current_key(self, override_reason: str = "") -> None:
        """Skip generation and build the request for the key already on the device; a current key under
        MIN_KEY_BITS needs `override_reason` (UnsafeCertificateError without one)."""
        size = self.key_info.size if self.key_info is not None else 0
        weak = weak_key_refusal(size)
        self._require_override(f"Keep the current {size}-bit key", [weak] if weak else [], override_reason)
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
        self._bundle = None
        self._imported = data
        roots_pem = await self.client.trusted_roots(self.context_id)
        roots = load_certificates(roots_pem) if roots_pem.strip() else []
        self.review = review_certificate(
            data, expected_key=await self.expected_public_key(), trusted_roots=roots, now=self.clock.now()
        )
        if not self.review.errors:
            self.step = Step.INSTALL
        return self.review

    def demo_signed(self) -> bytes:
        """The request signed by the demo's CA (`--demo` only): the certificate, then the demo CA (one CA
        per wizard, so signing again chains to the root already added)."""
        csr = self.csr_pem or self.kept_request()
        if not csr:
            raise ValueError("There is no signing request to sign yet.")
        if self._demo_ca is None:
            self._demo_ca = DemoCa(self.clock.now())
        return self._demo_ca.sign(csr)

    def demo_customer_bundle(self) -> bytes:
        """A customer PKCS#12 bundle for this device's address from the demo's CA (`--demo` only), so the
        import of a customer's key and certificate can be tried; its password is DEMO_BUNDLE_PASSWORD."""
        if self._demo_ca is None:
            self._demo_ca = DemoCa(self.clock.now())
        return self._demo_ca.customer_bundle(self.client.endpoint.host)

    async def validate_bundle(self, bundle: KeyBundle) -> CertificateReview:
        """Review a customer-supplied key and certificate (PKCS#12 or PEM): the certificate must certify
        that key; validity, key size and signature as for a signed request. The key is sent on install."""
        roots_pem = await self.client.trusted_roots(self.context_id)
        roots = load_certificates(roots_pem) if roots_pem.strip() else []
        self._imported = bundle.certificates_pem
        self.review = review_certificate(
            bundle.certificates_pem,
            expected_key=bundle.public_key_der,
            trusted_roots=roots,
            now=self.clock.now(),
        )
        self._bundle = bundle
        if not self.review.errors:
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
        if self._bundle is not None:
            return await self.validate_bundle(self._bundle)
        return await self.validate_import(self._imported)

    # --- step 5: install ------------------------------------------------------------------------------

    async def install(self, reporter: ProgressReporter, override_reason: str = "") -> InstallResult:
        """Upload the leaf and add the file's intermediates to the context's trusted roots (incremental),
        save the configuration, then confirm what the device serves and re-pin (web context only).
        An unsafe certificate needs `override_reason` (UnsafeCertificateError without one)."""
        review = self.review
        if review is None or review.errors:
            raise ValueError("Review an installable certificate first.")
        self._require_override(
            f"Install the certificate {review.details.subject}", list(review.unsafe), override_reason
        )
        reporter.stage(INSTALL_STAGES[0])
        if self._bundle is not None:  # a customer-supplied key goes first: the certificate must match it
            await self.client.upload_private_key(
                self.context_id, self._bundle.key_pem, self._bundle.transit_password
            )
        await self.client.upload_certificate(self.context_id, review.leaf_pem)
        chain = await self._add_intermediates(review.intermediates)
        reporter.stage(INSTALL_STAGES[1])
        await self.client.save_configuration()
        reporter.stage(INSTALL_STAGES[2])
        result = await self._confirm(review.details, chain)
        if result.confirmed:
            request_path(self.device_key, self.context_id).unlink(missing_ok=True)
            self.step = Step.DONE
        return result

    async def _add_intermediates(self, intermediates: tuple[bytes, ...]) -> tuple[str, ...]:
        """PUT each intermediate to trustedRoot/incremental (section 7); returns their subjects."""
        added = []
        for pem in intermediates:
            await self.client.add_trusted_root(self.context_id, pem)
            added.append(x509.load_pem_x509_certificate(pem).subject.rfc4514_string())
        return tuple(added)

    async def _confirm(self, installed: CertificateDetails, chain: tuple[str, ...]) -> InstallResult:
        what = _installed_text(installed, chain, self.context_id)
        if self.context_id != WEB_CONTEXT:
            served = x509.load_pem_x509_certificate(await self.client.certificate(self.context_id))
            same = served.fingerprint(hashes.SHA256()).hex().upper() == installed.fingerprint.replace(":", "")
            note = (
                "Checked by reading the context's certificate back from the device (the app cannot reach "
                "the SIP or other TLS service it secures): "
                + ("it is the new certificate." if same else "it is NOT the new certificate.")
            )
            return InstallResult(
                installed.fingerprint,
                installed.fingerprint if same else "",
                same,
                f"{what} {note}",
                "read back",
                chain,
            )
        presented = await self._fetch(self.endpoint)
        if presented.fingerprint != installed.fingerprint:
            return InstallResult(
                installed.fingerprint,
                presented.fingerprint,
                False,
                (
                    f"{what} Checked by a TLS handshake: the device still presents another certificate "
                    "on its web port. It may apply the new one after a restart; the app's trusted "
                    "certificate was left unchanged."
                ),
                "TLS handshake",
                chain,
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
            (
                f"{what} Checked by a TLS handshake: the device now serves the new certificate; the app "
                "trusts it for this device from now on."
            ),
            "TLS handshake",
            chain,
        )


def _installed_text(installed: CertificateDetails, chain: tuple[str, ...], context_id: str) -> str:
    """What the install sent: the certificate, and the intermediates added to the trusted roots."""
    text = f"Installed the certificate {installed.subject} in TLS context {context_id}"
    if not chain:
        return text + "."
    added = "; ".join(chain)
    return f"{text} and added {len(chain)} intermediate CA certificate(s) to its trusted roots: {added}."


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"
