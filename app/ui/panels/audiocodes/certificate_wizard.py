"""The certificate wizard's pages: they render the Qt-free controller's state and forward clicks to it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.progress import ProgressReporter
from app.ui.panels.audiocodes.common import DeviceWork, escape
from app.vendors.audiocodes.certificate_check import (
    CertificateFileError,
    CertificateReview,
    load_certificates,
)
from app.vendors.audiocodes.certificate_wizard import (
    DEFAULT_KEY_SIZE,
    INSTALL_STAGES,
    CertificateWizardController,
    InstallResult,
    Step,
    key_size_warning,
    validate_subject,
)
from app.vendors.audiocodes.client import KEY_SIZES
from app.vendors.audiocodes.models import PrivateKeyInfo, SubjectFields

WARN = "color: #9a5b00;"
ERROR = "color: #a00000;"
GOOD = "color: #006000;"
PAGE_CONTEXT, PAGE_KEY, PAGE_REQUEST, PAGE_IMPORT, PAGE_INSTALL = range(5)
_ORDER = list(Step)


def fingerprint_lines(fingerprint: str) -> str:
    """A colon-separated SHA-256 fingerprint on two lines of 16 bytes, for a narrow label."""
    return fingerprint[:47] + "<br>" + fingerprint[48:]


def _reached(controller: CertificateWizardController, step: Step) -> bool:
    return _ORDER.index(controller.step) >= _ORDER.index(step)


def _note(style: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class _Page(QWizardPage):
    def __init__(
        self, controller: CertificateWizardController, work: DeviceWork, title: str, sub: str
    ) -> None:
        super().__init__()
        self.controller, self.work = controller, work
        self.setTitle(title)
        self.setSubTitle(sub)

    def _changed(self, _: object = None) -> None:
        self.completeChanged.emit()


class ContextPage(_Page):
    """Choose the TLS context; shows the device's clock check and the context's current key."""

    def __init__(self, controller: CertificateWizardController, work: DeviceWork) -> None:
        super().__init__(
            controller,
            work,
            "TLS context",
            "Which certificate to replace. Context 0 secures the web interface.",
        )
        layout = QFormLayout(self)
        self.contexts = QComboBox()
        self.clock_label, self.key_label = _note(), _note()
        self.resume = QCheckBox("The signing request was made earlier: import the signed certificate now")
        layout.addRow("TLS context:", self.contexts)
        layout.addRow("Device clock:", self.clock_label)
        layout.addRow("Current key:", self.key_label)
        layout.addRow(self.resume)
        self.contexts.currentIndexChanged.connect(self._choose)

    def initializePage(self) -> None:  # noqa: N802  (Qt override)
        """Load the contexts and the device clock."""

        async def load(_: ProgressReporter) -> None:
            await self.controller.load()

        self.work.run("Read TLS contexts", load, done=self._loaded)

    def _loaded(self, _: object) -> None:
        self.contexts.blockSignals(True)
        self.contexts.clear()
        for context in self.controller.contexts:
            self.contexts.addItem(f"#{context.id} {context.name}", context.id)
        self.contexts.blockSignals(False)
        check = self.controller.clock_check
        if check is not None:
            self.clock_label.setText(
                check.device_time
                + (f"<br><b>{escape(check.warning)}</b>" if check.warning else " — matches this laptop")
            )
            self.clock_label.setStyleSheet(WARN if check.warning else GOOD)
        self._choose()

    def _choose(self, _: object = None) -> None:
        context_id = self.contexts.currentData()
        if context_id is None:
            return

        async def choose(_: ProgressReporter) -> PrivateKeyInfo:
            return await self.controller.validate_context(str(context_id))

        self.work.run("Read the private key status", choose, done=self._key_shown)

    def _key_shown(self, info: PrivateKeyInfo) -> None:
        state = "matches the certificate" if info.valid else "does not match the certificate"
        self.key_label.setText(f"{info.size} bits, {state}")
        self.resume.setEnabled(bool(self.controller.csr_pem))
        self.resume.setChecked(bool(self.controller.csr_pem))
        self._changed()

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once the chosen context was read."""
        return _reached(self.controller, Step.KEY)

    def nextId(self) -> int:  # noqa: N802  (Qt override)
        """Skip to the import when resuming with a kept request."""
        return PAGE_IMPORT if self.resume.isChecked() and self.controller.csr_pem else PAGE_KEY


class KeyPage(_Page):
    """Generate the private key on the device (2048 bits offered; smaller sizes warned against)."""

    def __init__(self, controller: CertificateWizardController, work: DeviceWork) -> None:
        super().__init__(
            controller, work, "Private key", "The key is generated on the device and never leaves it."
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.key_size = QComboBox()
        for size in KEY_SIZES:
            self.key_size.addItem(f"{size} bits", size)
        self.key_size.setCurrentIndex(KEY_SIZES.index(DEFAULT_KEY_SIZE))
        self.generate_button = QPushButton("Generate key on the device")
        self.keep_button = QPushButton("Keep the current key")
        row.addWidget(QLabel("RSA key size:"))
        row.addWidget(self.key_size)
        row.addStretch(1)
        row.addWidget(self.keep_button)
        row.addWidget(self.generate_button)
        layout.addLayout(row)
        self.warning, self.result = _note(WARN), _note(GOOD)
        layout.addWidget(self.warning)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.key_size.currentIndexChanged.connect(self._size_changed)
        self.generate_button.clicked.connect(self.generate)
        self.keep_button.clicked.connect(self._keep)

    def _size_changed(self, _: object = None) -> None:
        self.warning.setText(key_size_warning(int(self.key_size.currentData())))

    def generate(self) -> None:
        """Generate a key of the chosen size on the device."""
        size = int(self.key_size.currentData())
        self.generate_button.setEnabled(False)

        async def generate(_: ProgressReporter) -> PrivateKeyInfo:
            return await self.controller.validate_key(size)

        self.work.run("Generate the private key", generate, done=self._generated)
        self.generate_button.setEnabled(True)

    def _generated(self, info: PrivateKeyInfo) -> None:
        self.result.setText(f"A new {info.size}-bit key was generated on the device.")
        self._changed()

    def _keep(self) -> None:
        self.controller.keep_current_key()
        self.result.setText("The request will be made for the key already on the device.")
        self._changed()

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once a key was generated or kept."""
        return _reached(self.controller, Step.REQUEST)


class RequestPage(_Page):
    """Subject fields (validated as typed), signature algorithm, then the CSR made by the device."""

    def __init__(self, controller: CertificateWizardController, work: DeviceWork) -> None:
        super().__init__(
            controller,
            work,
            "Certificate signing request",
            "Send the request to your CA; import its answer later.",
        )
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.edits = {
            name: QLineEdit()
            for name in ("common_name", "organization", "organizational_unit", "locality", "state", "country")
        }
        labels = (
            "Common name (CN) *",
            "Organisation (O)",
            "Organisational unit (OU)",
            "Locality (L)",
            "State (ST)",
            "Country (C, two letters)",
        )
        for edit, label in zip(self.edits.values(), labels, strict=True):
            form.addRow(f"{label}:", edit)
            edit.textChanged.connect(self._validate)
        self.edits["country"].setMaxLength(2)
        self.algorithm = QComboBox()
        self.algorithm.addItem("sha256 (recommended)", "sha256")
        self.algorithm.addItem("sha512", "sha512")
        self.algorithm.addItem("sha1 (device default; refused by current CAs)", "sha1")
        self.algorithm.currentIndexChanged.connect(self._validate)
        form.addRow("Signature:", self.algorithm)
        layout.addLayout(form)
        self.problems = _note(ERROR)
        layout.addWidget(self.problems)
        row = QHBoxLayout()
        self.create_button = QPushButton("Create request")
        self.save_button = QPushButton("Save request to file…")
        row.addStretch(1)
        row.addWidget(self.create_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.csr_text = QPlainTextEdit()
        self.csr_text.setReadOnly(True)
        layout.addWidget(self.csr_text, 1)
        self.create_button.clicked.connect(self.create_request)
        self.save_button.clicked.connect(self._save)

    def initializePage(self) -> None:  # noqa: N802  (Qt override)
        """Suggest the device's address as the common name."""
        if not self.edits["common_name"].text():
            self.edits["common_name"].setText(self.controller.endpoint.host)
        self._validate()

    def subject(self) -> SubjectFields:
        """The subject as typed."""
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        values["country"] = values["country"].upper()
        return SubjectFields(**values)

    def _validate(self, _: object = None) -> list[str]:
        problems = validate_subject(self.subject(), str(self.algorithm.currentData()))
        self.problems.setText("<br>".join(escape(p) for p in problems))
        self.create_button.setEnabled(not problems)
        self.save_button.setEnabled(bool(self.controller.csr_pem))
        return problems

    def create_request(self) -> None:
        """Have the device create the CSR."""
        if self._validate():
            return
        subject, algorithm = self.subject(), str(self.algorithm.currentData())

        async def create(_: ProgressReporter) -> bytes:
            return await self.controller.validate_request(subject, algorithm)

        self.work.run("Create the signing request", create, done=self._created)

    def _created(self, csr: bytes) -> None:
        self.csr_text.setPlainText(csr.decode("ascii", "replace"))
        self.save_button.setEnabled(True)
        self._changed()

    def _save(self) -> None:
        name = f"{self.subject().common_name or 'mediant'}.csr"
        path, _ = QFileDialog.getSaveFileName(self, "Save signing request", name, "CSR (*.csr *.pem)")
        if path:
            self.controller.save_request(Path(path))

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once the request exists."""
        return _reached(self.controller, Step.IMPORT)


class ImportPage(_Page):
    """Choose the CA's signed certificate; it is reviewed here, before anything is sent."""

    def __init__(self, controller: CertificateWizardController, work: DeviceWork) -> None:
        super().__init__(
            controller,
            work,
            "Signed certificate",
            "Choose the PEM certificate your CA issued for this request.",
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.choose_button = QPushButton("Choose certificate file…")
        self.roots_button = QPushButton("Add the CA to the trusted roots")
        self.roots_button.setVisible(False)
        row.addWidget(self.choose_button)
        row.addStretch(1)
        row.addWidget(self.roots_button)
        layout.addLayout(row)
        self.details = QLabel("No certificate chosen yet.")
        self.details.setWordWrap(True)
        self.warnings, self.errors = _note(WARN), _note(ERROR)
        for widget in (self.details, self.warnings, self.errors):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.choose_button.clicked.connect(self._choose)
        self.roots_button.clicked.connect(self._add_roots)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Signed certificate", "", "Certificates (*.pem *.crt *.cer);;All (*)"
        )
        if path:
            self.review_file(Path(path))

    def review_file(self, path: Path) -> None:
        """Check the file is PEM at once, then review it against the device."""
        data = path.read_bytes()
        try:
            load_certificates(data)
        except CertificateFileError as err:
            self.errors.setText(escape(str(err)))
            self.details.setText(f"{escape(path.name)} was refused.")
            self.warnings.clear()
            return

        async def review(_: ProgressReporter) -> CertificateReview:
            return await self.controller.validate_import(data)

        self.work.run("Check the signed certificate", review, done=self.show_review)

    def show_review(self, review: CertificateReview) -> None:
        """Subject, issuer, validity and fingerprint, then warnings and refusals."""
        d = review.details
        self.details.setText(
            f"<b>Subject:</b> {escape(d.subject)}<br><b>Issuer:</b> {escape(d.issuer)}<br>"
            f"<b>Valid:</b> {d.not_before:%Y-%m-%d} to {d.not_after:%Y-%m-%d}<br>"
            f"<b>SHA-256:</b><br><tt>{fingerprint_lines(d.fingerprint)}</tt>"
        )
        self.warnings.setText("<br>".join(f"⚠ {escape(w)}" for w in review.warnings))
        self.errors.setText("<br>".join(f"✗ {escape(e)} Nothing will be sent." for e in review.errors))
        self.roots_button.setVisible(bool(review.addable_roots) and review.installable)
        self._changed()

    def _add_roots(self) -> None:
        async def add(_: ProgressReporter) -> int:
            return await self.controller.add_roots_from_file()

        self.work.run("Add the CA to the trusted roots", add, done=lambda _: self._roots_added())

    def _roots_added(self) -> None:
        self.roots_button.setVisible(False)
        self.warnings.setText("The CA certificate was added to this context's trusted roots.")

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once the certificate passed review."""
        return self.controller.review is not None and self.controller.review.installable


class InstallPage(_Page):
    """Upload, save the configuration, confirm by handshake; shows the outcome."""

    def __init__(self, controller: CertificateWizardController, work: DeviceWork) -> None:
        super().__init__(
            controller,
            work,
            "Install",
            "Upload the certificate, save the configuration and check what the device serves.",
        )
        layout = QVBoxLayout(self)
        self.install_button = QPushButton("Install certificate")
        self.outcome = _note()
        layout.addWidget(self.install_button)
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        self.install_button.clicked.connect(self.install)

    def install(self) -> None:
        """Run the install operation."""
        self.install_button.setEnabled(False)

        async def install(reporter: ProgressReporter) -> InstallResult:
            return await self.controller.install(reporter)

        self.work.run("Install the TLS certificate", install, stages=INSTALL_STAGES, done=self.show_result)

    def show_result(self, result: InstallResult) -> None:
        """The outcome, with the fingerprint now served."""
        self.outcome.setStyleSheet(GOOD if result.confirmed else WARN)
        served = result.served_fingerprint
        served = f"<br>Now served (SHA-256):<br><tt>{fingerprint_lines(served)}</tt>" if served else ""
        self.outcome.setText(escape(result.message) + served)
        self.install_button.setEnabled(not result.confirmed)
        self._changed()

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Finished once the device confirmed the new certificate."""
        return self.controller.step is Step.DONE


class CertificateWizard(QWizard):
    """Replace a TLS certificate: key on the device, CSR for the CA, then the signed certificate installed."""

    def __init__(
        self, controller: CertificateWizardController, work: DeviceWork, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Replace TLS certificate")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(720, 520)
        self.pages = (
            ContextPage(controller, work),
            KeyPage(controller, work),
            RequestPage(controller, work),
            ImportPage(controller, work),
            InstallPage(controller, work),
        )
        for page_id, page in enumerate(self.pages):
            self.setPage(page_id, page)
