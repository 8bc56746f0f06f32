"""Every value put into the app's own markup (an f-string with HTML tags under app/ui) goes through
escaped(), or is listed here as a value the app itself controls, with the reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
_TAG = re.compile(r"<(?:b|i|u|s|h[1-6]|br|tt|p|span|font|a|img|table|tr|td|div|code|pre|qt|html)\b", re.I)

#: (file under app/ui, expression) -> why the value is the app's own and needs no escaping.
APP_VALUES = {
    ("demo_banner.py", "'secret' if is_cloud else 'password'"): "a word chosen by the app",
    ("demo_banner.py", "secret"): "markup built above from escaped() parts",
    ("dialogs/certificate.py", "device_label"): "_headline receives the label escaped",
    ("panels/audiocodes/alarms_tab.py", "detail.severity.value"): "the app's Severity enum",
    ("panels/audiocodes/alarms_tab.py", "detail.date"): "a datetime, formatted as digits",
    ("panels/audiocodes/certificate_wizard.py", "d.not_before"): "a datetime, formatted as digits",
    ("panels/audiocodes/certificate_wizard.py", "d.not_after"): "a datetime, formatted as digits",
    ("panels/audiocodes/certificate_wizard.py", "fingerprint_lines(d.fingerprint)"): "hex the app computed",
    ("panels/audiocodes/certificate_wizard.py", "fingerprint_lines(served)"): "hex the app computed",
    ("panels/audiocodes/device_tab.py", "self.levels.level.label"): "the app's UserLevel enum",
    ("panels/audiocodes/panel.py", "level.label"): "the app's UserLevel enum",
    ("panels/hikvision/panel.py", "state"): "markup built above from escaped() parts",
    ("panels/two_n/display_tab.py", "self.target.width"): "an int",
    ("panels/two_n/display_tab.py", "self.target.height"): "an int",
    ("panels/two_n/display_tab.py", "source"): "one of two sentences of the app",
    ("panels/two_n/maintenance_tabs.py", "kind"): "one of two words of the app",
    ("panels/two_n/maintenance_tabs.py", "deadline"): "a datetime, formatted as digits",
}


def unescaped_values() -> list[tuple[str, str, int]]:
    """(file, expression, line) of every value interpolated into markup without escaped()."""
    found = []
    for path in sorted(UI.rglob("*.py")):
        name = path.relative_to(UI).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and _TAG.search(_constant_text(node)):
                found += [(name, ast.unparse(value.value), node.lineno) for value in _unescaped(node)]
    return found


def _constant_text(node: ast.JoinedStr) -> str:
    return "".join(part.value for part in node.values if isinstance(part, ast.Constant))


def _unescaped(node: ast.JoinedStr) -> list[ast.FormattedValue]:
    return [
        part
        for part in node.values
        if isinstance(part, ast.FormattedValue)
        and not (isinstance(part.value, ast.Call) and getattr(part.value.func, "id", "") == "escaped")
    ]


def test_values_in_the_apps_markup_are_escaped_or_the_apps_own() -> None:
    unknown = [f"app/ui/{name}:{line}: {{{expr}}}" for name, expr, line in unescaped_values()
               if (name, expr) not in APP_VALUES]
    assert unknown == [], "device text in markup must go through escaped(): " + "; ".join(unknown)


def test_the_list_of_the_apps_own_values_has_no_stale_entry() -> None:
    assert set(APP_VALUES) <= {(name, expr) for name, expr, _ in unescaped_values()}
