"""Configuration editor: ranges from /sensorInfo and /installationConfigurations, a diff before saving."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.panel_work import PanelWork
from app.ui.panels.inxpect.common import confirm
from app.ui.panels.inxpect.zones_editor import ZonesEditor
from app.vendors.inxpect.client import InxpectClient
from app.vendors.inxpect.models import (
    ANTI_MASKING_MODES,
    ANTI_TAMPER_MODES,
    LED_MODES,
    SEMI_STATIC_MODES,
    SENSITIVITY_FLAG,
    DeviceInfo,
    InstallationConfiguration,
    ManualZone,
    SensorConfiguration,
    sensitivity_percent,
    sensitivity_raw,
)
from app.vendors.inxpect.panel_reads import ConfigurationSetup, read_configuration_setup
from app.vendors.inxpect.setting_names import describe_zones

#: The document's typical ranges "just for convenience" (§3.3): they only warn, never limit an editor.
DOCUMENT_RANGE: Final = "the typical range the vendor document shows"
SENSOR_RANGE: Final = "the detection range the sensor reports"
#: Editors accept any value of this size (mm, degrees, counts): the document forbids a subrange (§3.3).
EDITOR_LIMIT: Final = 10_000_000


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field: attribute, label, kind (m, deg, int, percent, choice, text), expected range."""

    attr: str
    label: str
    kind: str
    low: int = 0
    high: int = 0
    choices: dict[int, str] | None = None
    range_source: str = DOCUMENT_RANGE
    #: False where the document gives no range at all: no value is unexpected.
    ranged: bool = True


def field_specs(info: DeviceInfo) -> tuple[FieldSpec, ...]:
    """The editor's fields with the ranges they are expected in (§3.3, §3.5); values outside only warn."""
    near, far = info.sensor.min_distance, info.sensor.max_distance
    return (
        FieldSpec("alarm_distance", "Alarm area ends at", "m", near, far, range_source=SENSOR_RANGE),
        FieldSpec("pre_alarm_distance", "Pre-alarm area ends at", "m", near, far, range_source=SENSOR_RANGE),
        FieldSpec("alarm_sensitivity", "Pet tolerance (75 % = calibration object)", "percent", 0, 100),
        FieldSpec("mount_height", "Mounting height", "m", 1000, 4000),
        FieldSpec("mount_elevation", "Mounting tilt (negative = down)", "deg", -90, 90),
        FieldSpec("mount_rotation", "Mounting rotation (0 volumetric, 90 barrier)", "deg", -180, 180),
        FieldSpec("mount_azimuth", "Mounting azimuth", "deg", -180, 180),
        FieldSpec("calibration_coefficient", "Calibration coefficient", "int", 300, 50000),
        FieldSpec("led_mode", "LED", "choice", choices=LED_MODES),
        FieldSpec("channel", "Radio channel (0 = alone, 1 = A, …)", "int", 0, 14),
        FieldSpec("num_conflicting_sensors", "Other sensors nearby", "int", 0, 50),
        FieldSpec("country", "Country (ISO 3 letters)", "text"),
        FieldSpec("anti_masking_mode", "Anti-masking", "choice", choices=ANTI_MASKING_MODES),
        FieldSpec("anti_masking_exit_mode", "Anti-masking exit mode (code)", "code", ranged=False),
        FieldSpec("anti_tamper_mode", "Anti-tamper", "choice", choices=ANTI_TAMPER_MODES),
        FieldSpec("anti_tamper_exit_mode", "Anti-tamper exit mode (code)", "code", ranged=False),
        FieldSpec("ss_mode", "Semi-static objects", "choice", choices=SEMI_STATIC_MODES),
        FieldSpec("ss_min_dist", "Semi-static minimum distance", "m", near, far, range_source=SENSOR_RANGE),
        FieldSpec("ss_max_size", "Semi-static maximum size", "m", ranged=False),
        FieldSpec("ss_num_max_zones", "Semi-static maximum number of objects", "code", ranged=False),
        FieldSpec("ss_manual_zones", "Semi-static manual zones", "zones", ranged=False),
    )
#: The fields of the form's second column: modes, exit modes and semi-static objects.
MODES_COLUMN: Final = frozenset({
    "led_mode", "anti_masking_mode", "anti_masking_exit_mode", "anti_tamper_mode", "anti_tamper_exit_mode",
    "ss_mode", "ss_min_dist", "ss_max_size", "ss_num_max_zones", "ss_manual_zones",
})
#: The semi-static modes whose size and number are set here, and the one whose zones are (§3.3 ssMode).
SEMI_STATIC_SET_HERE: Final = (3, 4)
SEMI_STATIC_MANUAL: Final = 4
#: §3.3 lists the exit modes as enumerations without their values: shown and sent as numbers.
EXIT_MODE_NOTE: Final = ("The vendor document lists this setting as an enumeration without its values; "
                         "the number is kept as the sensor reports it and sent as typed.")


def describe_value(spec: FieldSpec, value: Any) -> str:
    """A stored value as the editor shows it."""
    if spec.kind == "m":
        return f"{value / 1000:.2f} m"
    if spec.kind == "percent":
        return f"{sensitivity_percent(value)} %"
    if spec.kind == "deg":
        return f"{value}°"
    if spec.kind == "choice" and spec.choices is not None:
        return spec.choices.get(value, f"mode {value}")
    if spec.kind == "zones":
        return describe_zones(value)
    return str(value)


def unexpected_value(spec: FieldSpec, value: Any) -> str:
    """Why `value` is not what the document leads one to expect for `spec`, or "" when it is."""
    if spec.kind == "percent":
        if SENSITIVITY_FLAG <= value <= SENSITIVITY_FLAG + 100:
            return ""
        return f"{spec.label}: {value} is not a percentage with the 0x80 flag as the document describes"
    if spec.kind == "choice" and spec.choices is not None:
        return "" if value in spec.choices else f"{spec.label}: mode {value} is not in the vendor document"
    if spec.kind == "zones":
        return _backwards_zones(spec, value)
    if spec.ranged and spec.kind in ("m", "deg", "int") and not spec.low <= value <= spec.high:
        low, high = describe_value(spec, spec.low), describe_value(spec, spec.high)
        return f"{spec.label}: {describe_value(spec, value)} is outside {spec.range_source} ({low} – {high})"
    return ""


def _backwards_zones(spec: FieldSpec, zones: tuple[ManualZone, ...]) -> str:
    """Which manual zones end before they start, or "" when none does."""
    backwards = [zone for zone in zones if zone.min > zone.max]
    return f"{spec.label}: a zone ends before it starts ({describe_zones(backwards)})" if backwards else ""


def unexpected_values(specs: tuple[FieldSpec, ...], configuration: SensorConfiguration) -> list[str]:
    """One line per field whose value lies outside what is expected (shown, never corrected)."""
    found = (unexpected_value(spec, getattr(configuration, spec.attr)) for spec in specs)
    return [line for line in found if line]


def changed_specs(
    specs: tuple[FieldSpec, ...], current: SensorConfiguration, edited: SensorConfiguration
) -> tuple[FieldSpec, ...]:
    """The fields whose value differs between `current` and `edited`."""
    return tuple(spec for spec in specs if getattr(current, spec.attr) != getattr(edited, spec.attr))


def describe_changes(
    specs: tuple[FieldSpec, ...], current: SensorConfiguration, edited: SensorConfiguration
) -> list[str]:
    """One line per changed field: "Alarm area ends at: 8.00 m → 6.00 m"."""
    return [
        f"{spec.label}: {describe_value(spec, getattr(current, spec.attr))} → "
        f"{describe_value(spec, getattr(edited, spec.attr))}"
        for spec in changed_specs(specs, current, edited)
    ]


class ConfigurationTab(QWidget):
    """Edit the sensor configuration; review the difference, save only what changed, read it back."""

    saved = Signal(object)  # SensorConfiguration read back after saving
    MAX_ROWS: Final = 8

    def __init__(self, work: PanelWork, client: InxpectClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.client = client
        self.info: DeviceInfo | None = None
        self.current: SensorConfiguration | None = None
        self.installations: tuple[InstallationConfiguration, ...] = ()
        self.specs: tuple[FieldSpec, ...] = ()
        self.editors: dict[str, tuple[QWidget, Callable[[], Any], Callable[[Any], None]]] = {}
        self._build_ui()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.status = QLabel("Reading the configuration…")
        self.status.setWordWrap(True)
        self.form_box = QGroupBox("Sensor configuration")
        columns = QHBoxLayout(self.form_box)
        self.form, self.modes_form = QFormLayout(), QFormLayout()
        columns.addLayout(self.form, 1)
        columns.addLayout(self.modes_form, 1)
        self.installation_hint = QLabel()
        self.installation_hint.setWordWrap(True)
        self.unexpected = QLabel()
        self.unexpected.setObjectName("inxpectUnexpectedValues")
        self.unexpected.setWordWrap(True)
        buttons = QHBoxLayout()
        self.reload_button = QPushButton("Reload from sensor")
        self.save_button = QPushButton("Review and save…")
        self.save_button.setEnabled(False)
        self.reload_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self._review_and_save)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)  # above the form: saving stays in sight on a laptop screen
        layout.addWidget(self.status)
        layout.addWidget(self.form_box)
        layout.addWidget(self.unexpected)
        layout.addWidget(self.installation_hint)
        layout.addStretch(1)

    def reload(self) -> None:
        """Read info, installations and configuration from the sensor and fill the form."""
        read = self.work.op("Reading the configuration", lambda _: read_configuration_setup(self.client))
        read.read_only().success(self._show_setup).run()

    def _show_setup(self, setup: ConfigurationSetup) -> None:
        self.info = setup.info
        self.installations = setup.installations
        self.show_configuration(setup.configuration)

    def show_configuration(self, configuration: SensorConfiguration) -> None:
        """Fill the form with `configuration` (building it on first use)."""
        if self.info is None:
            return
        if not self.editors:
            self.specs = field_specs(self.info)
            for spec in self.specs:
                self._add_editor(spec)
        self.current = configuration
        for spec in self.specs:
            self.editors[spec.attr][2](getattr(configuration, spec.attr))
        self.save_button.setEnabled(True)
        self.status.setText(
            f"Configured {configuration.configurations_count} time(s); format version "
            f"{configuration.version}."
        )
        self.installation_hint.setText(self._installation_text(configuration))
        self._show_unexpected()
        self._enable_semi_static()

    def _enable_semi_static(self) -> None:
        """Size and number for modes 3 and 4, manual zones for mode 4 only (§3.3); values stay as read."""
        if "ss_mode" not in self.editors:
            return
        mode = self.editors["ss_mode"][1]()
        for attr, on in (("ss_max_size", mode in SEMI_STATIC_SET_HERE),
                         ("ss_num_max_zones", mode in SEMI_STATIC_SET_HERE),
                         ("ss_manual_zones", mode == SEMI_STATIC_MANUAL)):
            self.editors[attr][0].setEnabled(on)

    def _show_unexpected(self) -> None:
        """Warn about values outside what the document leads one to expect; they are kept as they are."""
        lines = unexpected_values(self.specs, self.edited()) if self.current is not None else []
        self.unexpected.setText(
            "⚠ Unexpected values, kept unless you change them:\n• " + "\n• ".join(lines) if lines else ""
        )

    def _installation_text(self, configuration: SensorConfiguration) -> str:
        matching = [
            i
            for i in self.installations
            if i.fits(configuration.mount_height, configuration.mount_elevation, configuration.mount_rotation)
        ]
        if matching:
            best = matching[0]
            return (
                f"Mounting matches a supported installation: {best.describe()}. Keep the alarm areas within "
                f"{best.max_distance_cm / 100:.1f} m."
            )
        return "⚠ The configured mounting matches no supported installation: check height, tilt and rotation."

    def _add_editor(self, spec: FieldSpec) -> None:
        widget, getter, setter = keep_untouched(make_editor(spec))
        widget.setAccessibleName(spec.label)
        if spec.kind == "code":
            widget.setToolTip(EXIT_MODE_NOTE)
        if spec.attr == "ss_mode":
            _on_edit(widget, self._enable_semi_static)
        _on_edit(widget, self._show_unexpected)
        (self.modes_form if spec.attr in MODES_COLUMN else self.form).addRow(spec.label + ":", widget)
        self.editors[spec.attr] = (widget, getter, setter)

    def edited(self) -> SensorConfiguration:
        """The configuration as the form shows it now."""
        assert self.current is not None
        return self.current.with_changes(**{attr: getter() for attr, (_, getter, _s) in self.editors.items()})

    def _review_and_save(self) -> None:
        if self.current is None:
            return
        edited = self.edited()
        changes = describe_changes(self.specs, self.current, edited)
        if not changes:
            self.status.setText("Nothing changed: the sensor already has this configuration.")
            return
        if edited.pre_alarm_distance < edited.alarm_distance:
            self.status.setText("⚠ The pre-alarm area must end at or beyond the alarm area.")
            return
        sent = changed_specs(self.specs, self.current, edited)
        unexpected = unexpected_values(sent, edited)
        note = "\n\nUnexpected, sent as typed:\n• " + "\n• ".join(unexpected) if unexpected else ""
        listed = "\n• ".join(changes)
        question = f"These settings will change on the sensor:\n\n• {listed}{note}\n\nSave them?"
        if not confirm(self, "Save configuration", question):
            return
        current = self.current
        client = self.client
        save = self.work.op("Saving the configuration", lambda _: client.save_configuration(current, edited))
        save.success(lambda stored: self._saved(current, edited, stored)).run()

    def _saved(
        self, current: SensorConfiguration, edited: SensorConfiguration, stored: SensorConfiguration
    ) -> None:
        self.show_configuration(stored)
        # Only the fields sent are checked: others may have changed on the sensor meanwhile (calibration).
        sent = changed_specs(self.specs, current, edited)
        mismatched = describe_changes(sent, edited, stored)
        if mismatched:
            self.status.setText("⚠ The sensor stored different values: " + "; ".join(mismatched))
        else:
            self.status.setText("Saved and read back: the sensor has the new configuration.")
        self.work.context.history.record(
            self.work.context.identity.key,
            "Configuration saved",
            "done",
            {"changes": "; ".join(describe_changes(sent, current, stored))},
        )
        self.saved.emit(stored)


Editor = tuple[QWidget, Callable[[], Any], Callable[[Any], None]]


def keep_untouched(editor: Editor) -> Editor:
    """The editor whose getter returns the device's own value until the technician changes the widget.

    An editor may show a value in fewer digits or in a narrower range than the device holds; an untouched
    field must still read back exactly as the device reported it, so saving never sends it.
    """
    widget, shown, show = editor
    device: dict[str, Any] = {}

    def set_value(value: Any) -> None:
        show(value)
        device["value"], device["shown"] = value, shown()

    def value() -> Any:
        now = shown()
        return device["value"] if device and now == device["shown"] else now

    return widget, value, set_value


def _on_edit(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call `slot` whenever the technician edits `widget`."""
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        widget.valueChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
    elif isinstance(widget, QLineEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, ZonesEditor):
        widget.changed.connect(slot)


def make_editor(spec: FieldSpec) -> Editor:
    """A widget for one field with a getter and setter in the device's units (mm, raw byte, code)."""
    if spec.kind == "m":
        return _metres_editor(spec)
    if spec.kind == "percent":
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setSuffix(" %")

        def set_percent(value: Any) -> None:
            spin.setValue(sensitivity_percent(int(value)))

        return spin, lambda: sensitivity_raw(spin.value()), set_percent
    if spec.kind == "choice":
        combo = QComboBox()
        for value, label in (spec.choices or {}).items():
            combo.addItem(label, value)
        return combo, combo.currentData, lambda value: _select(combo, value)
    if spec.kind == "zones":
        zones = ZonesEditor()
        return zones, zones.zones, zones.set_zones
    if spec.kind == "text":
        line = QLineEdit()
        return line, lambda: line.text().strip().upper(), lambda value: line.setText(str(value))
    spin = QSpinBox()
    spin.setRange(-EDITOR_LIMIT, EDITOR_LIMIT)
    if spec.kind == "deg":
        spin.setSuffix("°")
    return spin, spin.value, lambda value: spin.setValue(int(value))


def _metres_editor(spec: FieldSpec) -> Editor:
    box = QDoubleSpinBox()
    box.setDecimals(2)
    box.setSingleStep(0.1)
    box.setRange(-EDITOR_LIMIT / 1000, EDITOR_LIMIT / 1000)
    box.setSuffix(" m")
    return box, lambda: round(box.value() * 1000), lambda value: box.setValue(int(value) / 1000)


def _select(combo: QComboBox, value: Any) -> None:
    index = combo.findData(value)
    if index < 0:
        combo.addItem(f"mode {value} (not in the vendor document)", value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
