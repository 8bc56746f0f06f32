"""Error-code mapping (Appendix A.1) and the tolerant decoding of the guide's loosely typed examples."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.errors import (
    AuthenticationError,
    DeviceUnreachableError,
    InvalidParameterError,
    PermissionDeniedError,
    RateLimitedError,
)
from app.vendors.hikvision.errors import (
    CODES,
    HikAlreadyDoneError,
    HikCredentialsError,
    HikProtocolError,
    HikTokenError,
    HikvisionError,
    code_from_fail_reason,
    error_for,
)
from app.vendors.hikvision.models import AccessToken, CloudDevice, OnlineStatus, Site, decode_add_outcomes
from app.vendors.hikvision.reports import AlarmBatch, HealthEntry, UpgradeProgress, UpgradeStage


def test_every_documented_code_has_a_typed_error_and_a_message() -> None:
    assert len(CODES) == 124  # the distinct codes of Appendix A.1
    for code in CODES:
        error = error_for(code, "vendor text", context="Doing X")
        assert isinstance(error, HikvisionError)
        assert error.code == code
        assert error.detail == "vendor text"
        assert error.message.startswith("Doing X: ")
        assert len(error.message) > len("Doing X: ") + 10


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("LAP300002", HikCredentialsError),
        ("LAP500004", HikTokenError),
        ("LAP500007", RateLimitedError),
        ("EVZ10029", RateLimitedError),
        ("LAP068001", RateLimitedError),
        ("EVZ20007", DeviceUnreachableError),
        ("EVZ20010", InvalidParameterError),
        ("EVZ20013", PermissionDeniedError),
        ("EVZ20017", HikAlreadyDoneError),
        ("LAP008081", HikAlreadyDoneError),
    ],
)
def test_codes_map_onto_the_generic_tree(code: str, kind: type[Exception]) -> None:
    error = error_for(code)
    assert isinstance(error, kind)
    assert str(error).endswith(f"(code {code})")


def test_unknown_code_is_kept() -> None:
    error = error_for("LAP999999")
    assert isinstance(error, HikProtocolError)
    assert "LAP999999" in error.message
    assert isinstance(error_for("LAP300001"), AuthenticationError)


def test_fail_reason_code_extraction() -> None:
    assert code_from_fail_reason("add Exception{LAP006001}") == "LAP006001"
    assert code_from_fail_reason("add Exception{ EVZ20010 }") == "EVZ20010"
    assert code_from_fail_reason("something else") == ""
    outcomes = decode_add_outcomes(
        {"addFailedList": [{"deviceSerial": "abc", "failReason": "odd"}], "addSuccessList": []},
        ["abc", "def"],
    )
    assert [(o.serial, o.added, o.code) for o in outcomes] == [
        ("abc", False, "LAP006001"),
        ("def", False, "LAP006001"),
    ]


def test_token_example_without_envelope_and_with_trailing_spaces() -> None:
    token = AccessToken.decode(
        {
            "accessToken ": "jmna8qnqg8d3dgnzs87m4v2dme3l",
            "expireTime ": 1585747008592,
            "areaDomain": "https://ieuapi.hik-partner.com/",
        }
    )
    assert token.value == "jmna8qnqg8d3dgnzs87m4v2dme3l"
    assert token.expires_at == datetime(2020, 4, 1, 13, 16, 48, 592000, tzinfo=UTC)
    assert token.area_domain == "https://ieuapi.hik-partner.com"


def test_device_row_quirks_are_normalised() -> None:
    device = CloudDevice.decode(
        {
            "id": "d1",
            "deviceSerial": " Q01728482",
            "deviceVersion": " V2.0.0 build 200224",
            "deviceOnlineStatus": 7,
            "deviceCategory": "4",
            "deviceSubCategory": "12",
            "siteId": "s1",
            "isSubscribed": 1,
        }
    )
    assert (device.serial, device.firmware, device.site_id) == ("Q01728482", "V2.0.0 build 200224", "s1")
    assert device.online is OnlineStatus.UNKNOWN  # newer firmware may send values we do not know
    assert (device.category, device.sub_category, device.kind) == (4, 12, "intercom")


def test_site_time_zone_string_and_health_ip_as_printed() -> None:
    site = Site.decode({"id": "s", "siteName": "A", "timeZone": "182", "siteDeliveryStatus": 2})
    assert site.time_zone == 182
    assert site.delivery.name == "HANDED_OVER"
    entry = HealthEntry.decode({"deviceSerial": "Q1", "devicelp": "10.0.0.5", "onlineStatus": "1"})
    assert entry.ip == "10.0.0.5"
    assert entry.online


def test_upgrade_progress_reads_statue_and_status() -> None:
    assert UpgradeProgress.decode({"statue": 7, "progress": 100}, "Q1").stage is UpgradeStage.FINISHED
    assert UpgradeProgress.decode({"status": "8", "error": "x"}, "Q1").stage is UpgradeStage.FAILED
    assert UpgradeProgress.decode({"statue": 42}, "Q1").stage is UpgradeStage.UNKNOWN


def test_alarm_data_as_object_json_string_or_xml() -> None:
    batch = AlarmBatch.decode(
        {
            "batchId": "b1",
            "list": [
                {
                    "formatType": "JSON",
                    "deviceSerial": "DS2323",
                    "alarmData": {"deviceSerial": "x", "eventType": "VMD"},
                },
                {"formatType": "JSON", "alarmData": '{"deviceSerial": "Q2", "eventType": "deviceonline"}'},
                {
                    "formatType": "XML",
                    "deviceSerial": "Q3",
                    "alarmData": "<EventNotificationAlert><eventType>IO</eventType><dateTime>t</dateTime>"
                    "</EventNotificationAlert>",
                },
            ],
        }
    )
    assert [(m.serial, m.event_type) for m in batch.messages] == [
        ("DS2323", "VMD"),
        ("Q2", "deviceonline"),
        ("Q3", "IO"),
    ]
    assert batch.messages[2].time == "t"
