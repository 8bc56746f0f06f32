"""TwoNClient: every 2N HTTP API call the app makes, with decoded results (document §5)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import IO, Any

import httpx

from app.backend.transport import DeviceTransport
from app.core.clock import Clock, SystemClock
from app.core.errors import AuthenticationError, DeviceProtocolError, DeviceTimeoutError
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.vendors.base import DeviceClient, SetsTime
from app.vendors.two_n.api import TwoNApi
from app.vendors.two_n.call_models import CallLogEntry, CallSession, HangupReason, SipAccount, dialled_session
from app.vendors.two_n.directory_models import DirectoryChanges, DirectoryRead
from app.vendors.two_n.mjpeg import MultipartReader, StreamFormatError, boundary_of
from app.vendors.two_n.models import (
    VENDOR_ID,
    CameraCaps,
    DeviceTime,
    DisplayInfo,
    FirmwareUpload,
    IoAction,
    IoPort,
    LogEvent,
    SwitchAction,
    SwitchCaps,
    SwitchState,
    SystemCaps,
    SystemInfo,
    SystemStatus,
)

#: Uploads (firmware, configuration, images over the display's internal bus) take longer than reads.
UPLOAD_TIMEOUT = httpx.Timeout(120.0, connect=5.0)
#: The largest configuration backup, snapshot or screen image the app reads from an intercom.
FILE_MAX_BODY = 32 << 20
#: The largest directory read the app accepts (10000 entries with every field).
DIRECTORY_MAX_BODY = 64 << 20
#: Seconds added to a long poll's own timeout before the HTTP read gives up.
LONG_POLL_MARGIN = 10.0
#: A camera stream is given up when no frame came for this many frame intervals, and never sooner than
#: STREAM_MIN_PATIENCE seconds.
STREAM_FRAMES_PATIENCE = 3.0
STREAM_MIN_PATIENCE = 5.0


async def _jpeg_frames(reader: MultipartReader, patience: float) -> AsyncIterator[bytes]:
    """Each JPEG part of a camera stream; a stall of `patience` seconds is a DeviceTimeoutError."""
    while True:
        try:
            async with asyncio.timeout(patience):
                part = await reader.next_part()
        except TimeoutError as err:
            raise DeviceTimeoutError(f"The camera sent no picture for {patience:.0f} s.") from err
        if part.content_type != "image/jpeg":
            raise StreamFormatError(f"The camera's stream carried {part.content_type or 'untyped data'}, "
                                    "not JPEG pictures.")
        yield part.body


def identity_from_info(info: SystemInfo) -> DeviceIdentity:
    """The app's identity for a device described by /api/system/info."""
    return DeviceIdentity(
        vendor=VENDOR_ID, model=info.variant, serial=info.serial_number, firmware=info.sw_version,
        mac=info.mac.replace("-", ":"), name=info.device_name,
    )


class TwoNClient(DeviceClient, SetsTime):
    """One 2N IP intercom on an injected httpx client; methods raise TwoNError subclasses."""

    def __init__(
        self, http: httpx.AsyncClient, endpoint: Endpoint, credentials: Credentials | None,
        *, device_label: str = "", clock: Clock | None = None, transport: DeviceTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        #: What waits on the device (the restart after a firmware update) sleeps on.
        self.clock: Clock = clock or SystemClock()
        transport = transport or DeviceTransport(
            http, endpoint.base_url, device_label=device_label or str(endpoint)
        )
        self.api = TwoNApi(transport, credentials)

    # -- DeviceClient protocol ---------------------------------------------------------------

    async def login(self) -> None:
        """Prove the credentials with a System-Control call (system/info needs no credentials)."""
        if self.api.auth is None:
            raise AuthenticationError("No API account is set for this intercom.")
        await self.system_status()

    async def read_identity(self) -> DeviceIdentity:
        """Identity from /api/system/info."""
        return identity_from_info(await self.system_info())

    async def aclose(self) -> None:
        """2N has no session to end; the injected httpx client stays open."""

    @property
    def closed(self) -> bool:
        """True once the injected httpx client was closed (app shutting down): no request can go out."""
        return self.api.transport.client.is_closed

    # -- System (§5.1) -----------------------------------------------------------------------

    async def system_info(self, *, timeout: float | None = None, retry: bool | None = None) -> SystemInfo:
        """GET /api/system/info (no credentials needed, §5.1.1)."""
        # Assumed: "regardless of the set access rights" (§5.1) is read as "answers without login".
        result = await self.api.call("GET", "/api/system/info", timeout=timeout, retry=retry)
        return SystemInfo.decode(result)

    async def system_status(self, *, timeout: float | None = None, retry: bool | None = None) -> SystemStatus:
        """GET /api/system/status (System Control privilege)."""
        result = await self.api.call("GET", "/api/system/status", timeout=timeout, retry=retry)
        return SystemStatus.decode(result)

    async def system_caps(self) -> SystemCaps:
        """GET /api/system/caps (GET only, §5.1.4)."""
        return SystemCaps.decode(await self.api.call("GET", "/api/system/caps"))

    async def restart(self) -> None:
        """GET /api/system/restart; the device then restarts."""
        await self.api.call("GET", "/api/system/restart", retry=False)

    async def system_time(self) -> DeviceTime:
        """GET /api/system/time."""
        return DeviceTime.decode(await self.api.call("GET", "/api/system/time"))

    async def read_time(self) -> int:
        """The intercom's clock now (UTC seconds) from /api/system/time."""
        return (await self.system_time()).utc_time

    async def set_time(self, utc_time: int) -> None:
        """GET /api/system/time/set?time=<unix s>; NTP/My2N overwrite it when `automatic` is on."""
        await self.api.call("GET", "/api/system/time/set", params={"time": utc_time}, retry=False)

    # -- Firmware (§5.2) ---------------------------------------------------------------------

    async def upload_firmware(
        self, firmware: bytes | IO[bytes], filename: str = "firmware.bin"
    ) -> FirmwareUpload:
        """PUT /api/firmware with multipart `blob-fw`; the file then waits for apply or reject."""
        files = {"blob-fw": (filename, firmware, "application/octet-stream")}
        result = await self.api.call("PUT", "/api/firmware", files=files, timeout=UPLOAD_TIMEOUT)
        return FirmwareUpload.decode(result)

    async def apply_firmware(self, file_id: str) -> None:
        """GET /api/firmware/apply?fileId=...; the device then installs it and restarts."""
        await self.api.call("GET", "/api/firmware/apply", params={"fileId": file_id}, retry=False)

    async def reject_firmware(self, file_id: str) -> None:
        """GET /api/firmware/reject?fileId=...; a new upload is possible afterwards."""
        await self.api.call("GET", "/api/firmware/reject", params={"fileId": file_id}, retry=False)

    # -- Configuration (§5.3) ----------------------------------------------------------------

    async def download_config(self) -> bytes:
        """GET /api/config: the full configuration as XML bytes."""
        response = await self.api.send("GET", "/api/config", timeout=UPLOAD_TIMEOUT, max_body=FILE_MAX_BODY)
        if "xml" not in response.headers.get("content-type", ""):
            raise DeviceProtocolError("The intercom did not send its configuration as XML.")
        return response.content

    async def upload_config(self, config_xml: bytes | IO[bytes], filename: str = "config.xml") -> None:
        """PUT /api/config with multipart `blob-cfg`; the device applies it after about 15 s."""
        files = {"blob-cfg": (filename, config_xml, "application/xml")}
        await self.api.call("PUT", "/api/config", files=files, timeout=UPLOAD_TIMEOUT)

    async def factory_reset(self) -> None:
        """GET /api/config/factoryreset; the device resets after about 15 s."""
        await self.api.call("GET", "/api/config/factoryreset", retry=False)

    # -- Switches and I/O (§5.4, §5.5) -------------------------------------------------------

    async def switch_caps(self, switch: int | None = None) -> tuple[SwitchCaps, ...]:
        """GET /api/switch/caps[?switch=n]."""
        result = await self.api.call("GET", "/api/switch/caps", params={"switch": switch})
        return SwitchCaps.decode_all(result)

    async def switch_status(self, switch: int | None = None) -> tuple[SwitchState, ...]:
        """GET /api/switch/status[?switch=n]."""
        result = await self.api.call("GET", "/api/switch/status", params={"switch": switch})
        return SwitchState.decode_all(result)

    async def switch_control(self, switch: int, action: SwitchAction, *, timeout: int | None = None) -> None:
        """GET /api/switch/ctrl?switch=n&action=...[&timeout=s] (`timeout`, not the table's `time out`)."""
        params = {"switch": switch, "action": action.value, "timeout": timeout}
        await self.api.call("GET", "/api/switch/ctrl", params=params, retry=False)

    async def io_caps(self) -> tuple[IoPort, ...]:
        """GET /api/io/caps."""
        return IoPort.decode_all(await self.api.call("GET", "/api/io/caps"))

    async def io_status(self, port: str | None = None) -> tuple[IoPort, ...]:
        """GET /api/io/status[?port=name]."""
        return IoPort.decode_all(await self.api.call("GET", "/api/io/status", params={"port": port}))

    async def io_control(self, port: str, action: IoAction) -> None:
        """GET /api/io/ctrl?port=name&action=on|off: drive a logic output to log. 1 or 0."""
        params = {"port": port, "action": action.value}
        await self.api.call("GET", "/api/io/ctrl", params=params, retry=False)

    # -- Camera (§5.8) -----------------------------------------------------------------------

    async def camera_caps(self) -> CameraCaps:
        """GET /api/camera/caps."""
        return CameraCaps.decode(await self.api.call("GET", "/api/camera/caps"))

    async def snapshot(self, width: int, height: int, source: str | None = None) -> bytes:
        """GET /api/camera/snapshot: one JPEG of a resolution listed in camera/caps."""
        params = {"width": width, "height": height, "source": source}
        response = await self.api.send("GET", "/api/camera/snapshot", params=params, max_body=FILE_MAX_BODY)
        if not response.headers.get("content-type", "").startswith("image/jpeg"):
            raise DeviceProtocolError("The intercom's camera did not send a JPEG image.")
        return response.content

    @contextlib.asynccontextmanager
    async def camera_stream(
        self, width: int, height: int, fps: int, source: str | None = None, *, patience: float | None = None,
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        """GET /api/camera/snapshot with `fps` >= 1: the JPEGs the camera pushes (multipart/x-mixed-replace,
        §5.8.2), each bounded in size; DeviceTimeoutError when none comes for `patience` seconds (default:
        a few frames' time)."""
        params = {"width": width, "height": height, "source": source, "fps": fps}
        patience = patience or max(STREAM_MIN_PATIENCE, STREAM_FRAMES_PATIENCE / fps)
        timeout = httpx.Timeout(patience + LONG_POLL_MARGIN, connect=5.0)
        async with self.api.stream("GET", "/api/camera/snapshot", params=params, timeout=timeout) as response:
            boundary = boundary_of(response.headers.get("content-type", ""))
            yield _jpeg_frames(MultipartReader(response.aiter_raw(), boundary), patience)

    # -- Display (§5.9) ----------------------------------------------------------------------

    async def display_caps(self) -> tuple[DisplayInfo, ...]:
        """GET /api/display/caps: the displays and their resolutions."""
        return DisplayInfo.decode_all(await self.api.call("GET", "/api/display/caps"))

    async def upload_display_image(
        self, display: str, image: bytes | IO[bytes], content_type: str, *,
        duration_ms: int | None = None, filename: str = "image.jpg",
    ) -> None:
        """PUT /api/display/image: with `duration_ms` a notification, without it an overlay (§5.9.2)."""
        params = {"display": display, "duration": duration_ms}
        files = {"blob-image": (filename, image, content_type)}
        await self.api.call("PUT", "/api/display/image", params=params, files=files, timeout=UPLOAD_TIMEOUT)

    async def upload_display_video(
        self, display: str, video: bytes | IO[bytes], content_type: str, *,
        duration_ms: int | None = None, repeat: int | None = None, filename: str = "video.mp4",
    ) -> None:
        """PUT /api/display/image with `blob-video` (2N IP Verso only); `repeat` counts plays."""
        params = {"display": display, "duration": duration_ms, "repeat": repeat}
        files = {"blob-video": (filename, video, content_type)}
        await self.api.call("PUT", "/api/display/image", params=params, files=files, timeout=UPLOAD_TIMEOUT)

    async def delete_display_image(self, display: str) -> None:
        """DELETE /api/display/image?display=id."""
        await self.api.call("DELETE", "/api/display/image", params={"display": display}, retry=False)

    async def simulator_screen(self, display: str) -> bytes:
        """PNG of what a SIMULATED display shows (`/sim/display.png`); real intercoms have no such path.

        Raises a DeviceError on a real device; the panel then shows only what this app uploaded.
        """
        response = await self.api.transport.request(
            "GET", "/sim/display.png", params={"display": display}, timeout=5.0, max_body=FILE_MAX_BODY)
        if not response.headers.get("content-type", "").startswith("image/png"):
            raise DeviceProtocolError("This device cannot show its screen.")
        return response.content

    # -- Events (§5.10) ----------------------------------------------------------------------

    async def log_caps(self) -> tuple[str, ...]:
        """GET /api/log/caps: the event types this device can report."""
        events = (await self.api.call("GET", "/api/log/caps")).get("events", [])
        if not isinstance(events, list):
            raise DeviceProtocolError("The intercom's event list is malformed.")
        return tuple(str(event) for event in events)

    async def log_subscribe(
        self, *, include: str = "new", events: tuple[str, ...] = (), duration: int = 90
    ) -> int:
        """GET /api/log/subscribe: a channel id; it closes `duration` s after the last pull (max 3600)."""
        params = {"include": include, "filter": ",".join(events) or None, "duration": duration}
        result = await self.api.call("GET", "/api/log/subscribe", params=params, retry=False)
        channel = result.get("id")
        if not isinstance(channel, int):
            raise DeviceProtocolError("The intercom did not return an event channel id.")
        return channel

    async def log_pull(self, channel: int, *, timeout: int = 0) -> tuple[LogEvent, ...]:
        """GET /api/log/pull: queued events at once, else wait up to `timeout` s (long poll)."""
        http_timeout = httpx.Timeout(timeout + LONG_POLL_MARGIN, connect=5.0)
        result = await self.api.call(
            "GET", "/api/log/pull", params={"id": channel, "timeout": timeout}, timeout=http_timeout,
            retry=False,
        )
        return LogEvent.decode_all(result)

    async def log_unsubscribe(self, channel: int) -> None:
        """GET /api/log/unsubscribe?id=n."""
        await self.api.call("GET", "/api/log/unsubscribe", params={"id": channel}, retry=False)

    # -- Audio (§5.11) -----------------------------------------------------------------------

    async def audio_test(self) -> None:
        """GET /api/audio/test; the result arrives later as an AudioLoopTest event."""
        await self.api.call("GET", "/api/audio/test", retry=False)

    # -- Phone and calls (§5.6, §5.7) --------------------------------------------------------

    async def phone_status(self, account: int | None = None) -> tuple[SipAccount, ...]:
        """GET /api/phone/status[?account=1|2]: each SIP account and its registration."""
        result = await self.api.call("GET", "/api/phone/status", params={"account": account})
        return SipAccount.decode_all(result)

    async def call_status(self, session: int | None = None) -> tuple[CallSession, ...]:
        """GET /api/call/status[?session=n]: the active calls (none listed once a call has ended)."""
        result = await self.api.call("GET", "/api/call/status", params={"session": session})
        return CallSession.decode_all(result)

    async def dial(self, number: str) -> int:
        """GET /api/call/dial?number=...: a phone number or SIP URI; returns the call's session id."""
        result = await self.api.call("GET", "/api/call/dial", params={"number": number}, retry=False)
        return dialled_session(result)

    async def hangup(self, session: int, reason: HangupReason = HangupReason.NORMAL) -> None:
        """GET /api/call/hangup?session=n&reason=...: end an active call."""
        params = {"session": session, "reason": reason.value}
        await self.api.call("GET", "/api/call/hangup", params=params, retry=False)

    async def call_log(self) -> tuple[CallLogEntry, ...]:
        """GET /api/phone/calllog: the call records, newest first."""
        return CallLogEntry.decode_all(await self.api.call("GET", "/api/phone/calllog"))

    async def delete_call_log(self, record_id: str | None = None) -> None:
        """DELETE /api/phone/calllog[?id=...]: one record, or (without `id`) every record."""
        await self.api.call("DELETE", "/api/phone/calllog", params={"id": record_id}, retry=False)

    # -- Directory (§5.14) -------------------------------------------------------------------

    async def dir_template(self) -> DirectoryRead:
        """GET /api/dir/template: the series and one entry holding every key of this model at its default."""
        return DirectoryRead.decode(await self.api.call("GET", "/api/dir/template"))

    async def dir_query(
        self, *, series: str | None = None, fields: Sequence[str] | None = None, since: int = 0
    ) -> DirectoryRead:
        """POST /api/dir/query: entries changed at or after timestamp `since` (0: every entry).

        `fields` None returns the non-default fields, () every field. The document names no paging.
        """
        body: dict[str, Any] = {"iterator": {"timestamp": since}}
        if series is not None:
            body["series"] = series
        if fields is not None:
            body["fields"] = list(fields)
        return await self._dir_read("/api/dir/query", body)

    async def dir_get(self, uuids: Sequence[str], fields: Sequence[str] | None = None) -> DirectoryRead:
        """POST /api/dir/get: the named entries (an unknown uuid comes back among `failures`)."""
        body: dict[str, Any] = {"users": [{"uuid": uuid} for uuid in uuids]}
        if fields is not None:
            body["fields"] = list(fields)
        return await self._dir_read("/api/dir/get", body)

    async def _dir_read(self, path: str, body: Mapping[str, Any]) -> DirectoryRead:
        """A read-only directory POST (safe to retry)."""
        result = await self.api.call("POST", path, json=body, retry=True, max_body=DIRECTORY_MAX_BODY)
        return DirectoryRead.decode(result)

    async def dir_create(
        self, users: Sequence[Mapping[str, Any]], *, force: bool = False
    ) -> DirectoryChanges:
        """PUT /api/dir/create: one new entry per object (the device assigns uuids to objects without one);
        `force` overwrites an existing uuid and resets its other fields."""
        body = {"force": force, "users": [dict(user) for user in users]}
        return DirectoryChanges.decode(await self.api.call("PUT", "/api/dir/create", json=body, retry=False))

    async def dir_update(self, users: Sequence[Mapping[str, Any]]) -> DirectoryChanges:
        """PUT /api/dir/update: set the given fields of the entries named by uuid; other fields stay."""
        body = {"users": [dict(user) for user in users]}
        return DirectoryChanges.decode(await self.api.call("PUT", "/api/dir/update", json=body, retry=False))

    async def dir_delete(self, uuids: Sequence[str]) -> DirectoryChanges:
        """PUT /api/dir/delete by uuid (the device keeps a deleted entry's uuid only)."""
        body = {"users": [{"uuid": uuid} for uuid in uuids]}
        return DirectoryChanges.decode(await self.api.call("PUT", "/api/dir/delete", json=body, retry=False))
