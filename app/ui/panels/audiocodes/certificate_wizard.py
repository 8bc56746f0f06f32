"""The certificate wizard: its import and install pages and the QWizard that holds all five pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from app.core.file_names import safe_file_name
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.panels.audiocodes.certificate_pages import (
    ERROR,
    GOOD,
    WARN,
    ContextPage,
    KeyPage,
    RequestPage,
    WizardPage,
    fingerprint_lines,
    note,
    override_edit,
)
from app.ui.plain_text import escaped, rich
from app.vendors.audiocodes.certificate_check import (
    CertificateFileError,
    CertificateReview,
    load_certificates,
)
from app.vendors.audiocodes.certificate_wizard import (
    INSTALL_STAGES,
    CertificateWizardController,
    InstallResult,
    Step,
    request_path,
)
from app.vendors.audiocodes.demo_ca import DEMO_BUNDLE_PASSWORD
from app.vendors.audiocodes.key_import import load_pem_pair, load_pkcs12


class ImportPage(WizardPage):
    """Choose the CA's signed certificate; it is reviewed here, before anything is sent."""

    def __init__(
        self, controller: CertificateWizardController, work: PanelWork, *, demo: bool = False
    ) -> None:
        super().__init__(
            controller,
            work,
            "Signed certificate",
            "Choose the PEM certificate your CA issued for this request.",
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.choose_button = QPushButton("Choose certificate file…")
        self.bundle_button = QPushButton("Import key and certificate (PKCS#12 or PEM)…")
        self.bundle_button.setToolTip(
            "A key and certificate from the customer's PKI replace the key on the device: a .pfx/.p12 "
            "bundle with its password, or PEM (one file with both, or the key then the certificate)."
        )
        self.demo_button = QPushButton("DEMO ONLY: sign with the demo CA")
        self.demo_button.setToolTip(
            "The demo has no certificate authority: this signs the request with a throw-away demo CA. "
            "Never offered outside the demo."
        )
        self.demo_button.setStyleSheet("background: #fff3c4; color: #7a4b00; font-weight: bold;")
        self.demo_button.setVisible(demo)
        row.addWidget(self.demo_button)
        self.demo_bundle_button = QPushButton("DEMO ONLY: save a customer PKCS#12 file…")
        self.demo_bundle_button.setToolTip(
            "Makes a key and certificate as a customer's PKI would hand them over (a .p12 from the demo CA), "
            "to try 'Import key and certificate'. Never offered outside the demo."
        )
        self.demo_bundle_button.setStyleSheet(self.demo_button.styleSheet())
        self.demo_bundle_button.setVisible(demo)
        self.roots_button = QPushButton("Add the CA to the trusted roots")
        self.root_file_button = QPushButton("Add the CA certificate from a file…")
        for hidden in (self.roots_button, self.root_file_button):
            hidden.setVisible(False)
        row.addWidget(self.choose_button)
        row.addWidget(self.bundle_button)
        row.addStretch(1)
        layout.addLayout(row)
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.demo_bundle_button)
        chain_row.addWidget(self.roots_button)
        chain_row.addWidget(self.root_file_button)
        chain_row.addStretch(1)
        layout.addLayout(chain_row)
        self.details = rich(QLabel("No certificate chosen yet."))
        self.details.setWordWrap(True)
        self.good, self.warnings, self.errors = note(GOOD), note(WARN), note(ERROR)
        self.good.setVisible(False)
        self.override_reason = override_edit("install this certificate")
        for widget in (self.details, self.good, self.warnings, self.errors, self.override_reason):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.override_reason.textChanged.connect(self.changed)
        self.choose_button.clicked.connect(self._choose)
        self.bundle_button.clicked.connect(self._choose_bundle)
        self.demo_button.clicked.connect(self.sign_with_demo_ca)
        self.demo_bundle_button.clicked.connect(self._save_demo_bundle)
        self.roots_button.clicked.connect(self._add_roots)
        self.root_file_button.clicked.connect(self._choose_root_file)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Signed certificate", "", "Certificates (*.pem *.crt *.cer);;All (*)"
        )
        if path:
            self.good.setVisible(False)
            self.review_file(Path(path))

    def sign_with_demo_ca(self) -> None:
        """Demo only: have the demo CA sign the request, save it beside the request, and review it."""
        path = request_path(self.controller.device_key, self.controller.context_id).with_name(
            "demo-signed.pem"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.controller.demo_signed())
        self.good.setVisible(False)
        self.review_file(path)

    def _save_demo_bundle(self) -> None:
        name = safe_file_name("demo-customer", self.controller.device_key, suffix=".p12")
        path, _ = QFileDialog.getSaveFileName(self, "Save a demo customer PKCS#12", name, "PKCS#12 (*.p12)")
        if path:
            self.save_demo_bundle(Path(path))

    def save_demo_bundle(self, target: Path) -> None:
        """Demo only: write a customer PKCS#12 bundle from the demo CA and say how to import it."""
        target.write_bytes(self.controller.demo_customer_bundle())
        self.details.setText(
            f"Saved {escaped(str(target))} (password <b>{escaped(DEMO_BUNDLE_PASSWORD)}</b>). Import it with "
            "<i>Import key and certificate (PKCS#12 or PEM)…</i>"
        )

    def _choose_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Key and certificate", "", "PKCS#12 (*.pfx *.p12);;PEM (*.pem *.key *.crt *.cer);;All (*)"
        )
        if not path:
            return
        chosen = Path(path)
        certificate = chosen
        if chosen.suffix.lower() not in (".pfx", ".p12") and not load_certificates_quietly(chosen):
            second, _ = QFileDialog.getOpenFileName(
                self, "Certificate for this key", "", "PEM (*.pem *.crt *.cer)"
            )
            if not second:
                return
            certificate = Path(second)
        password, _ = QInputDialog.getText(
            self, "Password", f"Password of {chosen.name} (empty if none):", QLineEdit.EchoMode.Password
        )
        self.review_bundle(chosen, certificate, password)

    def review_bundle(self, key_file: Path, certificate_file: Path, password: str) -> None:
        """Open a PKCS#12 bundle or a PEM key and certificates, then review them against the device."""
        try:
            if key_file.suffix.lower() in (".pfx", ".p12"):
                bundle = load_pkcs12(key_file.read_bytes(), password)
            else:
                bundle = load_pem_pair(key_file.read_bytes(), certificate_file.read_bytes(), password)
        except CertificateFileError as err:
            self.errors.setText(escaped(str(err)))
            self.details.setText(f"{escaped(key_file.name)} was refused.")
            return

        async def review(_: ProgressReporter) -> CertificateReview:
            return await self.controller.validate_bundle(bundle)

        self.good.setVisible(False)
        self.work.op("Check the key and certificate", review).read_only().success(self.show_review).run()

    def review_file(self, path: Path) -> None:
        """Check the file is PEM at once, then review it against the device."""
        data = path.read_bytes()
        try:
            load_certificates(data)
        except CertificateFileError as err:
            self.errors.setText(escaped(str(err)))
            self.details.setText(f"{escaped(path.name)} was refused.")
            self.warnings.clear()
            return

        async def review(_: ProgressReporter) -> CertificateReview:
            return await self.controller.validate_import(data)

        self.work.op("Check the signed certificate", review).read_only().success(self.show_review).run()

    def show_review(self, review: CertificateReview) -> None:
        """Subject, issuer, validity and fingerprint, then warnings and refusals."""
        d = review.details
        self.details.setText(
            f"<b>Subject:</b> {escaped(d.subject)}<br><b>Issuer:</b> {escaped(d.issuer)}<br>"
            f"<b>Valid:</b> {d.not_before:%Y-%m-%d} to {d.not_after:%Y-%m-%d}<br>"
            f"<b>SHA-256:</b><br><tt>{fingerprint_lines(d.fingerprint)}</tt>"
        )
        self.warnings.setText("<br>".join(f"⚠ {escaped(w)}" for w in review.warnings))
        refusals = [f"✗ {escaped(e)} Nothing will be sent." for e in review.errors]
        refusals += [f"✗ {escaped(u)}" for u in review.unsafe]
        if review.overridable:
            refusals.append("This certificate is refused. To install it anyway, give a reason below.")
        self.errors.setText("<br>".join(refusals))
        self.override_reason.setVisible(review.overridable)
        needs_root = not review.errors and not review.anchored and d.issuer != d.subject
        self.roots_button.setVisible(needs_root and bool(review.addable_roots))
        self.root_file_button.setVisible(needs_root and not review.addable_roots)
        self.changed()

    def _add_roots(self) -> None:
        async def add(_: ProgressReporter) -> int:
            return await self.controller.add_roots_from_file()

        self.work.op("Add the CA to the trusted roots", add).success(lambda _: self._roots_added()).run()

    def _roots_added(self) -> None:
        self.roots_button.setVisible(False)
        self.warnings.clear()
        self._say_good("The CA certificate was added to this context's trusted roots.")

    def _choose_root_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA root certificate", "", "Certificates (*.pem *.crt *.cer);;All (*)"
        )
        if path:
            self.add_root_file(Path(path))

    def add_root_file(self, path: Path) -> None:
        """Add the CA certificate in `path` as a trusted root (if it anchors the chain), then review again."""
        data = path.read_bytes()
        try:
            load_certificates(data)
        except CertificateFileError as err:
            self.errors.setText(escaped(f"{path.name}: {err}"))
            return
        self.errors.clear()

        async def add(_: ProgressReporter) -> CertificateReview:
            return await self.controller.add_root_certificate(data)

        self.work.op("Add the CA to the trusted roots", add).success(self._root_file_added).run()

    def _root_file_added(self, review: CertificateReview) -> None:
        self.show_review(review)
        self._say_good("The CA certificate was added to the trusted roots; the chain is complete.")

    def _say_good(self, text: str) -> None:
        self.good.setText(text)
        self.good.setVisible(True)

    def reason(self) -> str:
        """The technician's reason to install a certificate that failed a safety check ("" when none)."""
        return self.override_reason.text().strip() if self.override_reason.isVisibleTo(self) else ""

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once the certificate passed review, or failed only safety checks and a reason is given."""
        review = self.controller.review
        if review is None:
            return False
        return review.installable or (review.overridable and bool(self.reason()))


class InstallPage(WizardPage):
    """Upload with the chain, save the configuration, confirm what is served; shows the outcome."""

    def __init__(
        self, controller: CertificateWizardController, work: PanelWork, reason: Callable[[], str]
    ) -> None:
        super().__init__(
            controller,
            work,
            "Install",
            "Upload the certificate, save the configuration and check what the device serves.",
        )
        self._reason = reason
        layout = QVBoxLayout(self)
        self.install_button = QPushButton("Install certificate")
        self.outcome = note()
        layout.addWidget(self.install_button)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        self.install_button.clicked.connect(self.install)

    def install(self) -> None:
        """Run the install operation."""
        self.install_button.setEnabled(False)
        self.outcome.clear()
        reason = self._reason()

        async def install(reporter: ProgressReporter) -> InstallResult:
            return await self.controller.install(reporter, reason)

        install_op = self.work.op("Install the TLS certificate", install, stages=INSTALL_STAGES)
        install_op.success(self.show_result).failure(self.show_failure).run()

    def show_failure(self, error: Exception) -> None:
        """Why the install failed; the button is offered again."""
        self.outcome.setStyleSheet(ERROR)
        self.outcome.setText(escaped(f"The certificate was not installed: {error}"))
        self.install_button.setEnabled(True)

    def show_result(self, result: InstallResult) -> None:
        """The outcome, with the fingerprint now served."""
        self.outcome.setStyleSheet(GOOD if result.confirmed else WARN)
        served = result.served_fingerprint
        served = f"<br>Now served (SHA-256):<br><tt>{fingerprint_lines(served)}</tt>" if served else ""
        self.outcome.setText(escaped(result.message) + served)
        self.install_button.setEnabled(not result.confirmed)
        review = self.controller.review
        certificate = {} if review is None else {
            "subject": review.details.subject, "issuer": review.details.issuer,
            "not_after": f"{review.details.not_after:%Y-%m-%d}",
        }
        self.work.context.history.record(
            self.controller.device_key,
            "TLS certificate replaced",
            "confirmed" if result.confirmed else "unconfirmed",
            {
                **certificate,
                "context": self.controller.context_id,
                "installed": result.installed_fingerprint,
                "served": result.served_fingerprint,
                "verified_by": result.verified_by,
                "chain": list(result.installed_chain),
                "overrides": [f"{o.action}: {o.reason}" for o in self.controller.overrides],
            },
        )
        self.changed()

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Finished once the device confirmed the new certificate."""
        return self.controller.step is Step.DONE


class CertificateWizard(QWizard):
    """Replace a TLS certificate: key on the device, CSR for the CA, then the signed certificate installed."""

    def __init__(
        self,
        controller: CertificateWizardController,
        work: PanelWork,
        parent: QWidget | None = None,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Replace TLS certificate")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(900, 560)
        import_page = ImportPage(controller, work, demo=demo)
        self.pages = (
            ContextPage(controller, work),
            KeyPage(controller, work),
            RequestPage(controller, work),
            import_page,
            InstallPage(controller, work, import_page.reason),
        )
        for page_id, page in enumerate(self.pages):
            self.setPage(page_id, page)


def load_certificates_quietly(path: Path) -> bool:
    """True when `path` holds PEM certificates as well (a combined key and certificate file)."""
    try:
        load_certificates(path.read_bytes())
    except (CertificateFileError, OSError):
        return False
    return True
