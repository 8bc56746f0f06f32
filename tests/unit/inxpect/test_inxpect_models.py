"""Encodings decoded where they live: sensitivity byte, network bitmask, alarm and calibration codes."""

from __future__ import annotations

import pytest

from app.core.errors import DeviceProtocolError
from app.vendors.inxpect.live import Alarm, AlarmType, CalibrationQuality, CalibrationResult, describe_alarm
from app.vendors.inxpect.models import NetFlag, describe_net_flags, sensitivity_percent, sensitivity_raw


def test_alarm_sensitivity_is_percentage_or_0x80() -> None:
    assert sensitivity_raw(75) == 0xCB
    assert sensitivity_percent(0xCB) == 75
    assert sensitivity_percent(0x80) == 0
    assert sensitivity_percent(100 | 0x80) == 100
    with pytest.raises(ValueError, match="0-100"):
        sensitivity_raw(101)


def test_net_configuration_bitmask_in_words() -> None:
    assert describe_net_flags(NetFlag(2)) == "static address, name resolution on"
    assert describe_net_flags(NetFlag(7)) == "DHCP, falling back to auto IP, name resolution on"
    assert describe_net_flags(NetFlag(1)) == "DHCP, name resolution off"
    assert describe_net_flags(NetFlag(4)) == "auto IP (169.254.x.x), name resolution off"


@pytest.mark.parametrize(
    ("alarm_type", "cause", "words"),
    [
        (AlarmType.TARGET, 4, "Intrusion: target in the alarm area"),
        (AlarmType.TARGET, 2, "Intrusion: target in the pre-alarm area"),
        (AlarmType.TAMPER, 2, "Tamper: the sensor has been moved"),
        (AlarmType.TAMPER, 3, "Tamper: the sensor has been masked (covered)"),
        (AlarmType.FAULT, 100, "Fault: input voltage out of range (check the PoE supply)"),
        (AlarmType.FAULT, 101, "Fault: detection error"),
        (AlarmType.FAULT, 102, "Fault: security error"),
        (AlarmType.FAULT, 103, "Fault: radar head hardware fault"),
        (AlarmType.FAULT, 104, "Fault: masking fault"),
        (AlarmType.FAULT, 105, "Fault: motion detector not responding"),
        (AlarmType.FAULT, 106, "Fault: masking detection not ready"),
        (AlarmType.FAULT, 107, "Fault: corrupted storage"),
        (AlarmType.FAULT, 1001, "Fault: communication fault between radar head and network board"),
        (AlarmType.FAULT, 555, "Fault: cause code 555 (not in the vendor document)"),
    ],
)
def test_alarm_codes_in_technician_words(alarm_type: AlarmType, cause: int, words: str) -> None:
    assert describe_alarm(alarm_type, cause) == words


def test_unknown_alarm_type_is_unknown_not_a_crash() -> None:
    alarm = Alarm.decode({"type": 9, "cause": 1})
    assert alarm.type is AlarmType.UNKNOWN
    assert alarm.description == "Unknown alarm (cause 1)"
    with pytest.raises(DeviceProtocolError):
        Alarm.decode({"cause": 1})


@pytest.mark.parametrize(
    ("code", "quality", "can_save"),
    [
        (0, CalibrationQuality.GOOD, True),
        (223, CalibrationQuality.POOR, True),
        (221, CalibrationQuality.FAILED, False),
        (1, CalibrationQuality.FAILED, False),
    ],
)
def test_calibration_stop_codes(code: int, quality: CalibrationQuality, can_save: bool) -> None:
    result = CalibrationResult(code)
    assert result.quality is quality
    assert result.can_save is can_save
