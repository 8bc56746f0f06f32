"""Property tests: any JSON or bytes given to a vendor decoder or probe decode or raise a typed error."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.decoding import MAX_DEPTH, MAX_INT_DIGITS, decode_json
from app.core.errors import DeviceError, DeviceProtocolError
from app.core.models import Endpoint
from app.vendors.audiocodes import models as audiocodes
from app.vendors.audiocodes.errors import description_of
from app.vendors.audiocodes.plugin import is_rest_root
from app.vendors.axis import models as axis
from app.vendors.hikvision import models as hikvision
from app.vendors.hikvision import reports as hikvision_reports
from app.vendors.inxpect import ifw as inxpect_ifw
from app.vendors.inxpect import live as inxpect_live
from app.vendors.inxpect import models as inxpect
from app.vendors.registry import PLUGINS
from app.vendors.two_n import models as two_n
from app.vendors.two_n.api import _loads as two_n_envelope
from tests.properties.strategies import bodies, json_objects, json_values

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

Decoder = Callable[[Any], object]

#: Decoders of a JSON object (the envelope was checked before they run): fed arbitrary objects.
OBJECT_DECODERS: dict[str, Decoder] = {
    "axis.BasicDeviceInfo": axis.BasicDeviceInfo.decode,
    "axis.StitchingCapabilities": axis.StitchingCapabilities.decode,
    "axis.number_field": lambda raw: axis.number_field(raw, "blendingAmount"),
    "two_n.SystemInfo": two_n.SystemInfo.decode,
    "two_n.SystemStatus": two_n.SystemStatus.decode,
    "two_n.SystemCaps": two_n.SystemCaps.decode,
    "two_n.DeviceTime": two_n.DeviceTime.decode,
    "two_n.FirmwareUpload": two_n.FirmwareUpload.decode,
    "two_n.DisplayInfo": two_n.DisplayInfo.decode_all,
    "two_n.SwitchCaps": two_n.SwitchCaps.decode_all,
    "two_n.SwitchState": two_n.SwitchState.decode_all,
    "two_n.IoPort": two_n.IoPort.decode_all,
    "two_n.CameraCaps": two_n.CameraCaps.decode,
    "two_n.LogEvent": two_n.LogEvent.decode_all,
    "hikvision.AccessToken": hikvision.AccessToken.decode,
    "hikvision.Page[Site]": lambda raw: hikvision.Page.decode(raw, hikvision.Site.decode),
    "hikvision.Page[Installer]": lambda raw: hikvision.Page.decode(raw, hikvision.Installer.decode),
    "hikvision.Page[CloudDevice]": lambda raw: hikvision.Page.decode(raw, hikvision.CloudDevice.decode),
    "hikvision.SiteManager": hikvision.SiteManager.decode,
    "hikvision.Camera": hikvision.Camera.decode,
    "hikvision.Customer": hikvision.Customer.decode,
    "hikvision.add_outcomes": lambda raw: hikvision.decode_add_outcomes(raw, ["Q1", "Q2"]),
    "hikvision.UpgradeProgress": lambda raw: hikvision_reports.UpgradeProgress.decode(raw, "Q1"),
    "hikvision.HealthReport": hikvision_reports.HealthReport.decode,
    "hikvision.AlarmBatch": hikvision_reports.AlarmBatch.decode,
}

#: Decoders of a whole answer body: fed arbitrary JSON values.
VALUE_DECODERS: dict[str, Decoder] = {
    "inxpect.DeviceInfo": inxpect.DeviceInfo.decode,
    "inxpect.SensorConfiguration": inxpect.SensorConfiguration.decode,
    "inxpect.SensorPosition": inxpect.SensorPosition.decode,
    "inxpect.installations": inxpect.decode_installations,
    "inxpect.NetSettings": inxpect.NetSettings.decode,
    "inxpect.DetectionFrame": inxpect_live.DetectionFrame.decode,
    "inxpect.AlarmStatus": inxpect_live.AlarmStatus.decode,
    "inxpect.event_log": inxpect_live.decode_event_log,
    "inxpect.CalibrationData": inxpect_live.CalibrationData.decode,
    "inxpect.WebContents": inxpect_ifw.WebContents.from_device,
    "audiocodes.DeviceStatus": audiocodes.DeviceStatus.decode,
    "audiocodes.LicenseInfo": audiocodes.LicenseInfo.decode,
    "audiocodes.TlsContext": audiocodes.TlsContext.decode_list,
    "audiocodes.PrivateKeyInfo": audiocodes.PrivateKeyInfo.decode,
    "audiocodes.AlarmPage": audiocodes.AlarmPage.decode,
    "audiocodes.AlarmDetail": audiocodes.AlarmDetail.decode,
    "audiocodes.is_rest_root": is_rest_root,
}


def _decodes_or_refuses(decode: Decoder, value: Any) -> None:
    with contextlib.suppress(DeviceProtocolError):  # the one refusal allowed; anything else fails the test
        decode(value)


@pytest.mark.parametrize("name", sorted(OBJECT_DECODERS))
@PROPERTY_SETTINGS
@given(raw=json_objects)
def test_object_decoders_accept_or_refuse_with_the_protocol_error(name: str, raw: dict[str, Any]) -> None:
    _decodes_or_refuses(OBJECT_DECODERS[name], raw)


@pytest.mark.parametrize("name", sorted(VALUE_DECODERS))
@PROPERTY_SETTINGS
@given(raw=json_values)
def test_body_decoders_accept_or_refuse_with_the_protocol_error(name: str, raw: Any) -> None:
    _decodes_or_refuses(VALUE_DECODERS[name], raw)


@PROPERTY_SETTINGS
@given(body=bodies)
def test_any_body_is_a_json_value_or_the_protocol_error(body: bytes) -> None:
    _decodes_or_refuses(lambda data: decode_json(data, "the answer"), body)
    _decodes_or_refuses(lambda data: two_n_envelope(data, "the reply"), body)
    description_of(httpx.Response(400, content=body))


@PROPERTY_SETTINGS
@given(value=json_values)
def test_what_json_dumps_writes_decodes_to_the_same_value(value: Any) -> None:
    assert decode_json(json.dumps(value).encode(), "the answer") == value


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": NaN}', b'{"a": Infinity}', b"[-Infinity]", b"[1e999]", b"[-1e999]",
        b"[" + b"9" * (MAX_INT_DIGITS + 1) + b"]", b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        b"[" * 100_000 + b"]" * 100_000, b'{"a": "\xff"}', b"\xef\xbb", b"", b"[1,]",
    ],
    ids=lambda body: repr(body[:16]),
)
def test_what_a_strict_parser_refuses_is_the_protocol_error(body: bytes) -> None:
    with pytest.raises(DeviceProtocolError):
        decode_json(body, "the answer")


def test_numbers_within_the_bounds_are_kept() -> None:
    deep = b"[" * 60 + b"]" * 60
    value = decode_json(b'{"big": -99999999999999999999, "x": 1.5e300, "deep": ' + deep + b"}", "the answer")
    assert value["big"] == -99999999999999999999
    assert math.isclose(value["x"], 1.5e300)


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda plugin: plugin.vendor_id)
@PROPERTY_SETTINGS
@given(status=st.sampled_from([200, 200, 200, 401, 404, 500]), body=bodies, gzipped=st.booleans())
def test_each_identification_probe_reads_any_answer_as_identity_none_or_a_typed_error(
    plugin: Any, status: int, body: bytes, gzipped: bool
) -> None:
    headers = {"Content-Type": "application/json", **({"Content-Encoding": "gzip"} if gzipped else {})}

    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    async def probe() -> object:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            try:
                return await plugin.identify(http, Endpoint("127.0.0.1", 443))
            except DeviceError as err:
                return err

    outcome = asyncio.run(probe())
    assert outcome is None or isinstance(outcome, DeviceError) or outcome.vendor == plugin.vendor_id
