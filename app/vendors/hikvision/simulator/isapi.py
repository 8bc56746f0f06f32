"""ISAPI resources the simulated devices answer through the cloud pass-through (guide A.4/A.5)."""

from __future__ import annotations

import re
from typing import Any

from app.core.clock import Clock
from app.vendors.hikvision.simulator.catalog import WorldDevice
from app.vendors.hikvision.simulator.device_clock import DeviceClocks

ISAPI_NS = "http://www.isapi.org/ver20/XMLSchema"
STATUS_NS = "http://www.std-cgi.org/ver20/XMLSchema"
_NAME = re.compile(r"<deviceName>([^<]*)</deviceName>")
_OUTPUT_STATE = re.compile(r"<outputState>\s*(high|low)\s*</outputState>")
NTP_PATH = "/ISAPI/System/time/ntpServers/1"
_OUTPUT_PATH = re.compile(r"^/ISAPI/System/IO/outputs/(\d+)/(status|trigger)$")


def response_status(url: str, code: int, sub: str) -> str:
    """XML_ResponseStatus (A.5.27) with the namespace the guide prints for it."""
    words = {
        1: "OK",
        2: "Device Busy",
        3: "Device Error",
        4: "Invalid Operation",
        5: "Invalid XML Format",
        6: "Invalid XML Content",
        7: "Reboot Required",
    }[code]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus version="2.0" xmlns="{STATUS_NS}">'
        f"<requestURL>{url}</requestURL><statusCode>{code}</statusCode>"
        f"<statusString>{words}</statusString><subStatusCode>{sub}</subStatusCode></ResponseStatus>"
    )


class DeviceIsapi:
    """Per-device ISAPI state: name, clock and NTP server, output ports, as read back after a write."""

    def __init__(self, clock: Clock) -> None:
        self.clocks = DeviceClocks(clock)
        self.outputs: dict[tuple[str, str], str] = {}

    def handle(self, device: WorldDevice, method: str, uri: str, body: str) -> tuple[str, str]:
        """(XML body, X-DeviceCode) for one request; unknown URIs answer notSupport like a device."""
        path = uri.split("?", 1)[0]
        if path == "/ISAPI/System/deviceInfo":
            return self._device_info(device, method, uri, body)
        if path in ("/ISAPI/System/time", NTP_PATH):
            return self._time(device, method, uri, body)
        output = _OUTPUT_PATH.match(path)
        if output is not None:
            return self._output(device, method, uri, output.groups(), body)
        return response_status(uri, 4, "notSupport"), "0x40000001"

    def _device_info(self, device: WorldDevice, method: str, uri: str, body: str) -> tuple[str, str]:
        if method == "PUT":
            found = _NAME.search(body)
            if found is None or not found.group(1).strip():
                return response_status(uri, 6, "badXmlContent"), "0x60000003"
            device.name = found.group(1).strip()
            return response_status(uri, 1, "ok"), "0"
        if method != "GET":
            return response_status(uri, 4, "invalidOperation"), "0x40000006"
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<DeviceInfo version="2.0" xmlns="{ISAPI_NS}">'
            f"<deviceName>{device.name}</deviceName><deviceID>{device.device_id}</deviceID>"
            f"<model>{device.spec.model}</model><serialNumber>{device.spec.model}{device.serial}</serialNumber>"
            f"<macAddress>44:19:b6:{device.serial[-6:-4]}:{device.serial[-4:-2]}:{device.serial[-2:]}</macAddress>"
            f"<firmwareVersion>{device.firmware.split(' build ')[0]}</firmwareVersion>"
            f"<firmwareReleasedDate>{device.firmware.partition(' ')[2]}</firmwareReleasedDate>"
            f"<deviceType>{_device_type(device)}</deviceType></DeviceInfo>"
        )
        return xml, "0"

    def _time(self, device: WorldDevice, method: str, uri: str, body: str) -> tuple[str, str]:
        """GET or PUT the time (A.5.30) or the first NTP server (§3.23 example); refusals as a device's."""
        ntp = uri.split("?", 1)[0] == NTP_PATH
        if method == "GET":
            return (self.clocks.ntp_xml(device.serial) if ntp else self.clocks.time_xml(device.serial)), "0"
        if method != "PUT":
            return response_status(uri, 4, "invalidOperation"), "0x40000006"
        put = self.clocks.put_ntp if ntp else self.clocks.put_time
        refused = put(device.serial, body)
        if refused is not None:
            code, sub, device_code = refused
            return response_status(uri, code, sub), device_code
        return response_status(uri, 1, "ok"), "0"

    def _output(
        self, device: WorldDevice, method: str, uri: str, port_action: tuple[str | Any, ...], body: str
    ) -> tuple[str, str]:
        port, action = str(port_action[0]), str(port_action[1])
        if device.spec.category not in (4, 5, 1):
            return response_status(uri, 4, "notSupport"), "0x40000001"
        key = (device.serial, port)
        if action == "trigger":
            found = _OUTPUT_STATE.search(body) if method == "PUT" else None
            if found is None:
                return response_status(uri, 6, "badXmlContent"), "0x60000003"
            self.outputs[key] = "active" if found.group(1) == "high" else "inactive"
            return response_status(uri, 1, "ok"), "0"
        state = self.outputs.get(key, "inactive")
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<IOPortStatus version="2.0" xmlns="{ISAPI_NS}">'
            f"<ioPortID>{port}</ioPortID><ioPortType>output</ioPortType><ioState>{state}</ioState>"
            "</IOPortStatus>"
        ), "0"


def _device_type(device: WorldDevice) -> str:
    return {1: "IPCamera", 2: "NVR", 3: "PHA", 4: "ACS"}.get(device.spec.category, "IPCamera")
