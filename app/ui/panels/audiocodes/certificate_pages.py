"""The certificate wizard's first pages (context, key, request): render the controller, forward clicks."""

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
    QWizardPage,
)

from app.core.file_names import safe_file_name
from app.core.progress import ProgressReporter
from app.ui.panel_work import PanelWork
from app.ui.plain_text import escaped, rich
from app.vendors.audiocodes.certificate_check import UnsafeCertificateError, weak_key_refusal
from app.vendors.audiocodes.certificate_wizard import (
    DEFAULT_KEY_SIZE,
    CertificateWizardController,
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


def override_edit(what: str) -> QLineEdit:
    """The field where a technician gives the reason to go ahead despite a failed safety check."""
    edit = QLineEdit()
    edit.setPlaceholderText(f"Reason to {what} anyway (recorded in the device's history)")
    edit.setVisible(False)
    return edit


def note(style: str = "") -> QLabel:
    """A word-wrapped label in `style` for messages in the app's markup (device parts escaped)."""
    label = rich(QLabel())
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class WizardPage(QWizardPage):
    """A page showing one step of the controller; pages forward clicks to it and run device work."""

    def __init__(
        self, controller: CertificateWizardController, work: PanelWork, title: str, sub: str
    ) -> None:
        super().__init__()
        self.controller, self.work = controller, work
        self.setTitle(title)
        self.setSubTitle(sub)

    def changed(self, _: object = None) -> None:
        """Ask the wizard to re-check whether Next is allowed."""
        self.completeChanged.emit()


class ContextPage(WizardPage):
    """Choose the TLS context; shows the device's clock check and the context's current key."""

    def __init__(self, controller: CertificateWizardController, work: PanelWork) -> None:
        super().__init__(
            controller,
            work,
            "TLS context",
            "Which certificate to replace. Context 0 secures the web interface.",
        )
        layout = QFormLayout(self)
        self.contexts = QComboBox()
        self.clock_label, self.key_label = note(), note()
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

        self.work.op("Read TLS contexts", load).read_only().success(self._loaded).run()

    def _loaded(self, _: object) -> None:
        self.contexts.blockSignals(True)
        self.contexts.clear()
        for context in self.controller.contexts:
            self.contexts.addItem(f"#{context.id} {context.name}", context.id)
        self.contexts.blockSignals(False)
        check = self.controller.clock_check
        if check is not None:
            self.clock_label.setText(
                escaped(check.device_time)
                + (f"<br><b>{escaped(check.warning)}</b>" if check.warning else " — matches this laptop")
            )
            self.clock_label.setStyleSheet(WARN if check.warning else GOOD)
        self._choose()

    def _choose(self, _: object = None) -> None:
        context_id = self.contexts.currentData()
        if context_id is None:
            return

        async def choose(_: ProgressReporter) -> PrivateKeyInfo:
            return await self.controller.validate_context(str(context_id))

        self.work.op("Read the private key status", choose).read_only().success(self._key_shown).run()

    def _key_shown(self, info: PrivateKeyInfo) -> None:
        state = "matches the certificate" if info.valid else "does not match the certificate"
        self.key_label.setText(f"{info.size} bits, {state}")
        self.resume.setEnabled(bool(self.controller.csr_pem))
        self.resume.setChecked(bool(self.controller.csr_pem))
        self.changed()

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once the chosen context was read."""
        return _reached(self.controller, Step.KEY)

    def nextId(self) -> int:  # noqa: N802  (Qt override)
        """Skip to the import when resuming with a kept request."""
        return PAGE_IMPORT if self.resume.isChecked() and self.controller.csr_pem else PAGE_KEY


class KeyPage(WizardPage):
    """Generate the private key on the device (2048 bits offered); a key under 2048 bits, generated or
    kept, needs a reason to override the refusal."""

    def __init__(self, controller: CertificateWizardController, work: PanelWork) -> None:
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
        self.warning, self.result = note(WARN), note(GOOD)
        self.override_reason = override_edit("use a key under 2048 bits")
        layout.addWidget(self.warning)
        layout.addWidget(self.override_reason)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.key_size.currentIndexChanged.connect(self._size_changed)
        self.override_reason.textChanged.connect(self._size_changed)
        self.generate_button.clicked.connect(self.generate)
        self.keep_button.clicked.connect(self._keep)

    def initializePage(self) -> None:  # noqa: N802  (Qt override)
        """Show whether the current key is weak (keeping it then needs a reason)."""
        self._size_changed()

    def _current_weak(self) -> str:
        info = self.controller.key_info
        return weak_key_refusal(info.size) if info is not None else ""

    def _size_changed(self, _: object = None) -> None:
        size = int(self.key_size.currentData())
        current = self._current_weak()
        lines = [key_size_warning(size)]
        if current:
            lines.append(f"Current key: {current} Keeping it needs a reason.")
        self.warning.setText("<br>".join(escaped(line) for line in lines if line))
        self.override_reason.setVisible(bool(weak_key_refusal(size) or current))
        reason = bool(self.override_reason.text().strip())
        self.generate_button.setEnabled(reason or not weak_key_refusal(size))
        self.keep_button.setEnabled(reason or not current)

    def generate(self) -> None:
        """Generate a key of the chosen size on the device (a weak size only with a reason)."""
        size = int(self.key_size.currentData())
        reason = self.override_reason.text()
        self.generate_button.setEnabled(False)

        async def generate(_: ProgressReporter) -> PrivateKeyInfo:
            return await self.controller.validate_key(size, reason)

        self.work.op("Generate the private key", generate).success(self._generated).run()
        self._size_changed()

    def _generated(self, info: PrivateKeyInfo) -> None:
        self.result.setText(f"A new {info.size}-bit key was generated on the device.")
        self.changed()

    def _keep(self) -> None:
        try:
            self.controller.keep_current_key(self.override_reason.text())
        except UnsafeCertificateError as err:
            self.result.setText(escaped(str(err)))
            self.result.setStyleSheet(ERROR)
            return
        self.result.setStyleSheet(GOOD)
        self.result.setText("The request will be made for the key already on the device.")
        self.changed()

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once a key was generated or kept."""
        return _reached(self.controller, Step.REQUEST)


class RequestPage(WizardPage):
    """Subject fields (validated as typed), signature algorithm, then the CSR made by the device."""

    def __init__(self, controller: CertificateWizardController, work: PanelWork) -> None:
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
        self.problems = note(ERROR)
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
        self.problems.setText("<br>".join(escaped(p) for p in problems))
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

        self.work.op("Create the signing request", create).success(self._created).run()

    def _created(self, csr: bytes) -> None:
        self.csr_text.setPlainText(csr.decode("ascii", "replace"))
        self.save_button.setEnabled(True)
        self.changed()

    def _save(self) -> None:
        name = safe_file_name(self.subject().common_name, suffix=".csr", fallback="mediant")
        path, _ = QFileDialog.getSaveFileName(self, "Save signing request", name, "CSR (*.csr *.pem)")
        if path:
            self.controller.save_request(Path(path))

    def isComplete(self) -> bool:  # noqa: N802  (Qt override)
        """Ready once the request exists."""
        return _reached(self.controller, Step.IMPORT)
