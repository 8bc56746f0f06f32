"""Hypothesis strategies for what a device may send: JSON values shaped like vendor answers, and bytes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from app.core.decoding import MAX_INT_DIGITS

#: Field names of the vendor documents, so generated objects reach past the first check of a decoder.
FIELD_NAMES = (
    # 2N
    "success", "result", "error", "code", "param", "description", "variant", "serialNumber", "swVersion",
    "hwVersion", "deviceName", "macAddr", "systemTime", "upTime", "utcTime", "source", "automatic", "fileId",
    "version", "downgrade", "note", "displays", "display", "resolution", "width", "height", "switches",
    "switch", "enabled", "mode", "active", "locked", "ports", "port", "type", "state", "jpegResolution",
    "sources", "events", "event", "id", "params", "tzShift", "options",
    # Axis
    "apiVersion", "method", "data", "propertyList", "Brand", "ProdShortName", "SerialNumber", "Version",
    "capabilities", "limits", "apiVersions", "blendingAmount", "idMin", "idMax", "angleMin",
    "parallaxCompensationDistance",
    # Inxpect
    "errorCode", "token", "sensorInfo", "comboardInfo", "model", "family", "fwVersion", "deviceId",
    "configuration", "targets", "alarms", "cause", "fps", "acqIdx", "elapsedTime", "distance", "rcs",
    "installations", "netConfiguration", "staticAddress", "elevation", "rotation", "orientation", "mse",
    "value", "peaks", "fA", "vc", "maxChunkSize", "name", "ssManualZones", "min", "max", "duration",
    # AudioCodes
    "localTimeStamp", "productType", "versionID", "operationalState", "highAvailability", "macAddress",
    "systemUpTime", "saveNeeded", "licenseVersion", "key", "tls", "size", "valid", "cursor", "after",
    "before", "severity", "date", "url", "versions", "lastChange", "authToken",
    # Hik-Partner Pro
    "accessToken", "expireTime", "areaDomain", "rows", "page", "pageSize", "total", "totalPage", "siteId",
    "siteName", "siteDeliveryStatus", "deviceSerial", "deviceName", "onlineStatus", "status", "statue",
    "reportDetail", "list", "batchId", "alarmData", "formatType", "addSuccessList", "addFailedList",
    "failReason", "customers", "alarmDeviceStatus", "percent",
)

_BIG = 10**MAX_INT_DIGITS - 1
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-_BIG, max_value=_BIG)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
    | st.sampled_from(["", "0", "1", "2N IP Verso", "AXIS", "v1", "/api/v1", "JSON", "LAP000001", "-1"])
)
keys = st.sampled_from(FIELD_NAMES) | st.text(max_size=6)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6)


#: Any JSON value decode_json can return.
json_values: st.SearchStrategy[Any] = st.recursive(scalars, _containers, max_leaves=25)
#: A JSON object (what an envelope's `result` or `data` is once the envelope was checked).
json_objects: st.SearchStrategy[dict[str, Any]] = st.dictionaries(keys, json_values, max_size=10)
#: Bodies a device may send: arbitrary bytes, and JSON text (well formed or cut short).
bodies: st.SearchStrategy[bytes] = (
    st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.tuples(json_values, st.integers(min_value=0, max_value=40)).map(
        lambda pair: json.dumps(pair[0]).encode()[: -pair[1] or None]
    )
)
