"""What a vendor panel is given when it opens: the device, its logged-in client and the app's services."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import httpx

from app.backend.history import DeviceHistory
from app.core.models import Credentials, DeviceIdentity, Endpoint
from app.core.progress import Operation
from app.vendors.base import DeviceClient

T = TypeVar("T")
ClientT = TypeVar("ClientT", bound=DeviceClient)
ClientT_co = TypeVar("ClientT_co", bound=DeviceClient, covariant=True)
OtherClientT = TypeVar("OtherClientT", bound=DeviceClient)


class TaskRunner(Protocol):
    """Runs long work in the main window's task area (progress bar, Cancel) without blocking Qt."""

    def run(self, operation: Operation[T], *, owner: object | None = None) -> asyncio.Task[T]:
        """Start `operation` as a task shown with its stages, progress and a Cancel button.

        Errors are shown to the technician and logged by the runner; awaiting the task re-raises them.
        Tasks whose `owner` is closed are cancelled.
        """
        ...

    def spawn(
        self, coro: Coroutine[Any, Any, T], *, owner: object | None = None, name: str = ""
    ) -> asyncio.Task[T]:
        """Start background work (polling, streams) outside the task area; errors are logged and shown."""
        ...

    def cancel_owned(self, owner: object) -> None:
        """Cancel every task started with this owner (a panel calls it when it closes)."""
        ...


Notify = Callable[[str, str], None]
"""notify(level, message): level is "info", "warning" or "error"; shown as a notification and logged."""
RememberCredentials = Callable[[Credentials], None]
"""remember(credentials): keep the device's new credentials (after a password change) in the store."""
FirmwareRead = Callable[[str], None]
"""firmware_read(version): the firmware the device runs, read from it (after login or an update)."""
OpenHttp = Callable[[], Awaitable[httpx.AsyncClient]]
"""open_http(): a new httpx client to the device, verified like the panel's own, on the calling event loop
(a worker thread's): a second session for work that must not share the Qt thread. The caller closes it."""


@dataclass(frozen=True, slots=True)
class PanelContext(Generic[ClientT_co]):
    """Everything a vendor panel needs; the panel never builds clients or httpx objects itself.

    Generic over the vendor's client type: an Axis panel is given a PanelContext[AxisClient], which is
    also a PanelContext[DeviceClient] for code that needs no vendor calls.
    """

    identity: DeviceIdentity
    endpoint: Endpoint
    client: ClientT_co
    tasks: TaskRunner
    history: DeviceHistory
    notify: Notify
    #: None when the panel was opened without a credential store (a test); the panel then says so.
    remember_credentials: RememberCredentials | None = None
    #: None when the panel was opened without one (a test): work then stays on the Qt thread's loop.
    open_http: OpenHttp | None = None
    #: None when nobody listens (a test); the device list shows what the panel reports.
    firmware_read: FirmwareRead | None = None
    #: True when the app runs its simulated site (`--demo`): panels may offer demo-only helpers.
    demo: bool = False

    def with_client(self, client: OtherClientT) -> PanelContext[OtherClientT]:
        """The same context around `client` (the same device's client, narrowed to its vendor's type)."""
        return PanelContext(
            self.identity, self.endpoint, client, self.tasks, self.history, self.notify,
            remember_credentials=self.remember_credentials, open_http=self.open_http,
            firmware_read=self.firmware_read, demo=self.demo,
        )
