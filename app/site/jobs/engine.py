"""The site job engine: one task over many devices, a bounded number at once, with pause, cancel (all or
one), lockout-aware retry of failed devices, an optional pilot device first, and every row written to the
job store and each device's history as it changes. A device's failure never stops the others."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from app.backend.history import DeviceHistory
from app.core.errors import (
    AppError,
    AuthenticationError,
    CertificateError,
    IdentityMismatchError,
    TransferError,
)
from app.core.progress import Progress, ProgressReporter
from app.site.jobs.model import (
    JobSettings,
    JobSummary,
    JobTarget,
    RowState,
    RowStatus,
    Verdict,
    VerdictKind,
)
from app.site.jobs.store import JobStore, StoredJob
from app.site.jobs.work import DeviceAccess, DeviceSession, JobTask, TrustDeclinedError

log = logging.getLogger(__name__)

#: The steps of every device before the job's own: open it, then ask whether it can do the job.
CONNECT_STEPS = ("Connecting", "Pre-flight check")
#: Rows a run (or a resume) starts work on.
RUNNABLE = frozenset({RowState.PENDING, RowState.PAUSED, RowState.INTERRUPTED})

RowListener = Callable[[RowStatus], None]
PilotApproval = Callable[[RowStatus], Awaitable[bool]]
"""approve(pilot_row): True to go on with the other devices after the pilot device's result."""


async def approve_when_done(row: RowStatus) -> bool:
    """The unattended go-ahead: the rest runs only when the pilot device succeeded."""
    return row.state is RowState.DONE


class SiteJob:
    """One job: its rows (one per device), how it runs, and the controls a technician has over it."""

    def __init__(
        self, task: JobTask, targets: Sequence[JobTarget], access: DeviceAccess, *,
        settings: JobSettings | None = None, store: JobStore | None = None,
        history: DeviceHistory | None = None, pilot_approval: PilotApproval = approve_when_done,
        stored: StoredJob | None = None,
    ) -> None:
        self.task = task
        self.access = access
        self.settings = settings or (stored.settings if stored else JobSettings())
        self._store = store
        self._history = history
        self._pilot_approval = pilot_approval
        rows = list(stored.rows) if stored else [RowStatus(target) for target in targets]
        self._order = [row.target.key for row in rows]
        if len(set(self._order)) != len(self._order):
            raise ValueError("a job lists a device (vendor, host and port) more than once")
        self._rows = {row.target.key: row for row in rows}
        self._saved_percent: dict[str, int | None] = {}
        if stored is not None:
            self.job_id = stored.job_id
            if store is not None:
                store.reopen(stored.job_id)
        else:
            self.job_id = store.create(task.kind, task.params(), self.settings, rows) if store else _new_id()
        self._listeners: list[RowListener] = []
        self._unpaused = asyncio.Event()
        self._unpaused.set()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._cancel_requested: set[str] = set()

    @classmethod
    def resume(
        cls, stored: StoredJob, task: JobTask, access: DeviceAccess, *, targets: Sequence[JobTarget] = (),
        store: JobStore | None = None, history: DeviceHistory | None = None,
    ) -> SiteJob:
        """The stored job again, to run its pending and interrupted rows; `targets` add their credentials."""
        job = cls(task, (), access, store=store, history=history, stored=stored)
        for target in targets:
            if target.key in job._rows:
                job._rows[target.key] = dataclasses.replace(job._rows[target.key], target=target)
        return job

    # ---- what the rows are ----------------------------------------------------------------------------
    @property
    def rows(self) -> list[RowStatus]:
        """Every device's row, in the job's order."""
        return [self._rows[key] for key in self._order]

    def row(self, key: str) -> RowStatus:
        """The row of device `key` (JobTarget.key)."""
        return self._rows[key]

    @property
    def summary(self) -> JobSummary:
        """Counts of the rows by state."""
        return JobSummary.of(self.rows)

    @property
    def paused(self) -> bool:
        """True while no new device starts."""
        return not self._unpaused.is_set()

    def subscribe(self, listener: RowListener) -> Callable[[], None]:
        """Call `listener(row)` on every change of a row; returns unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def retry_keys(self, relogin: Collection[str] = ()) -> list[str]:
        """What Retry reruns: failed or interrupted devices, not a failed login unless in `relogin`."""
        return [key for key in self._order
                if self._rows[key].state in (RowState.FAILED, RowState.INTERRUPTED)
                and (not self._rows[key].login_failed or key in relogin)]

    # ---- controls -----------------------------------------------------------------------------------
    async def preflight(self, keys: Collection[str] | None = None) -> list[RowStatus]:
        """A verdict for every pending device (open, capability, the task's check, close); writes nothing."""
        wanted = [key for key in self._order if (keys is None or key in keys)
                  and self._rows[key].state in RUNNABLE]
        limit = asyncio.Semaphore(self.settings.concurrency)

        async def judge(key: str) -> None:
            async with limit:
                session = await self._open(key)
                if session is None:
                    return
                try:
                    verdict = await self._verdict(key, session)
                    if verdict.kind is VerdictKind.CAN:
                        self._update(key, state=RowState.PENDING, step="", verdict=verdict,
                                     message=verdict.reason or "Ready", detail=verdict.detail)
                    else:
                        self._settle(key, verdict, session)
                except AppError as err:
                    self._fail(key, err)
                finally:
                    await _close(session)

        await asyncio.gather(*(judge(key) for key in wanted))
        return self.rows

    async def run(self) -> JobSummary:
        """Work on every pending device (the pilot first when asked); returns when every row is settled."""
        keys = [key for key in self._order if self._rows[key].state in RUNNABLE]
        for key in keys:
            if self._rows[key].state is not RowState.PENDING:  # interrupted or paused by an earlier run
                self._update(key, state=RowState.PENDING)
        if self.settings.pilot and keys:
            await self.preflight(keys)
            keys = [key for key in keys if self._rows[key].state is RowState.PENDING]
            if keys:
                pilot, keys = keys[0], keys[1:]
                await self._run_keys([pilot])
                if keys and not await self._pilot_approval(self._rows[pilot]):
                    for key in keys:
                        self._update(key, state=RowState.CANCELLED, step="", message=(
                            "Not started: the pilot device's result was not approved. Nothing was changed."))
                    keys = []
        await self._run_keys(keys)
        self._finish()
        return self.summary

    async def retry(self, relogin: Collection[str] = ()) -> JobSummary:
        """Run the failed (and interrupted) devices again; one whose login failed only if in `relogin`."""
        keys = self.retry_keys(relogin)
        for key in keys:
            self._update(key, state=RowState.PENDING, step="", percent=None, login_failed=False,
                         message="Waiting to retry")
        if keys and self._store is not None:
            self._store.reopen(self.job_id)
        await self._run_keys(keys)
        self._finish()
        return self.summary

    def pause(self) -> None:
        """No new device starts; devices under way finish what they are doing."""
        self._unpaused.clear()

    def unpause(self) -> None:
        """Let waiting devices start again."""
        self._unpaused.set()

    def cancel(self, key: str | None = None) -> None:
        """Cancel one device (or all): a waiting one never starts, a running one stops where it is."""
        for each in [key] if key is not None else list(self._order):
            row = self._rows[each]
            if row.state in (RowState.PENDING, RowState.PAUSED, RowState.INTERRUPTED):
                self._update(each, state=RowState.CANCELLED, step="", percent=None,
                             message="Cancelled before it started: nothing was changed on the device.")
            elif row.state is RowState.RUNNING and (task := self._tasks.get(each)) is not None:
                self._cancel_requested.add(each)
                task.cancel()

    # ---- the work -----------------------------------------------------------------------------------
    async def _run_keys(self, keys: list[str]) -> None:
        limit = asyncio.Semaphore(self.settings.limit(self.task.large_upload))

        async def one(key: str) -> None:
            try:
                if not await self._waited_unpaused(key):
                    return
                async with limit:
                    if await self._waited_unpaused(key):  # paused again while it waited for a slot
                        await self._work(key)
            except asyncio.CancelledError:
                if key not in self._cancel_requested:
                    raise
                self._cancel_requested.discard(key)
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()

        tasks = {key: asyncio.create_task(one(key), name=f"site job {self.job_id} {key}") for key in keys}
        self._tasks.update(tasks)
        try:
            await asyncio.gather(*tasks.values())
        finally:
            for key, task in tasks.items():
                task.cancel()
                self._tasks.pop(key, None)

    async def _waited_unpaused(self, key: str) -> bool:
        """Wait while the job is paused; False when the row was cancelled meanwhile."""
        if self._rows[key].state.finished:
            return False
        if self.paused:
            self._update(key, state=RowState.PAUSED, message="Paused: starts when the job continues")
            await self._unpaused.wait()
            if self._rows[key].state.finished:
                return False
            self._update(key, state=RowState.PENDING, message="")
        return True

    async def _work(self, key: str) -> None:
        session = await self._open(key)
        if session is None:
            return
        history_key = session.identity.key or key
        started = False
        try:
            verdict = await self._verdict(key, session)
            if verdict.kind is not VerdictKind.CAN:
                self._settle(key, verdict, session)
                return
            steps = CONNECT_STEPS + self.task.steps(session.client)
            reporter = ProgressReporter(steps, lambda progress: self._progress(key, progress))
            self._update(key, verdict=verdict, step_count=len(steps), detail=verdict.detail)
            self._record(history_key, "started", {"job": self.job_id})
            started = True
            result = await self.task.run(session, reporter)
            self._update(key, state=RowState.DONE, step="", percent=None, message=result.message,
                         detail=result.detail)
            self._record(history_key, "succeeded", {"job": self.job_id, "message": result.message,
                                                    **result.detail})
        except asyncio.CancelledError:
            self._update(key, state=RowState.CANCELLED, percent=None, message=_cancelled(self._rows[key]))
            if started:
                message = self._rows[key].message
                self._record(history_key, "cancelled", {"job": self.job_id, "message": message})
            raise
        except AppError as err:
            self._fail(key, err, history_key)
        except Exception as err:
            log.exception("Site job %s: unexpected failure on %s", self.job_id, key)
            garbage = AppError(f"The device answered something the app cannot use ({err}).")
            self._fail(key, garbage, history_key)
        finally:
            await _close(session)

    async def _open(self, key: str) -> DeviceSession | None:
        """The device logged in, or None with its row settled (cannot, or failed with the login noted)."""
        self._update(key, state=RowState.RUNNING, step=CONNECT_STEPS[0], step_index=0,
                     step_count=len(CONNECT_STEPS), percent=None, message="", login_failed=False)
        target = self._rows[key].target
        try:
            return await self.access.open(target)
        except (TrustDeclinedError, CertificateError) as err:
            self._settle(key, Verdict.cannot(f"Certificate not trusted: {err}"))
        except IdentityMismatchError as err:
            self._settle(key, Verdict.cannot(str(err)))
        except AuthenticationError as err:
            message = (f"Not logged in: {err} It is not retried automatically, so the device is not locked "
                       "out; fix its credentials, then retry it.")
            self._update(key, state=RowState.FAILED, step="", login_failed=True, message=message)
            self._record(key, "failed", {"job": self.job_id, "message": message})
        except AppError as err:
            self._fail(key, err)
        return None

    async def _verdict(self, key: str, session: DeviceSession) -> Verdict:
        self._update(key, step=CONNECT_STEPS[1], step_index=1, serial=session.identity.serial)
        capability = self.task.capability
        if not capability.supported_by(session.client):
            return Verdict.cannot(f"This device cannot {capability.value}.")
        return await self.task.preflight(session)

    def _settle(self, key: str, verdict: Verdict, session: DeviceSession | None = None) -> None:
        state = RowState.SKIPPED if verdict.kind is VerdictKind.SKIP else RowState.CANNOT
        self._update(key, state=state, step="", percent=None, verdict=verdict, message=verdict.reason)
        history_key = session.identity.key if session is not None and session.identity.key else key
        result = "skipped" if state is RowState.SKIPPED else "cannot do it"
        self._record(history_key, result, {"job": self.job_id, "message": verdict.reason})

    def _fail(self, key: str, err: AppError, history_key: str = "") -> None:
        message = str(err)
        if isinstance(err, TransferError) and err.state:
            message = f"{message} The device is left {err.state}."
        self._update(key, state=RowState.FAILED, percent=None, message=message)
        self._record(history_key or key, "failed", {"job": self.job_id, "message": message})

    def _progress(self, key: str, progress: Progress) -> None:
        percent = None
        if progress.total:
            percent = min(100, int(progress.done * 100 / progress.total))
        self._update(key, step=progress.stage, step_index=progress.stage_index,
                     step_count=progress.stage_count, percent=percent, message=progress.message)

    def _update(self, key: str, **changes: Any) -> None:
        before = self._rows[key]
        row = dataclasses.replace(before, **changes)
        self._rows[key] = row
        if self._store is not None and _worth_saving(before, row, self._saved_percent.get(key)):
            self._saved_percent[key] = row.percent
            self._store.save_row(self.job_id, self._order.index(key), row)
        for listener in list(self._listeners):
            listener(row)

    def _record(self, key: str, result: str, detail: dict[str, Any]) -> None:
        if self._history is not None:
            self._history.record(key, f"Site job: {self.task.kind.value}", result, detail)

    def _finish(self) -> None:
        if self._store is not None and all(row.state.finished for row in self.rows):
            self._store.finish(self.job_id)


def _worth_saving(before: RowStatus, after: RowStatus, saved_percent: int | None) -> bool:
    """Everything but a progress tick is written; progress only every tenth of the way."""
    if dataclasses.replace(before, percent=after.percent, message=after.message) != after:
        return True
    if after.percent is None or saved_percent is None:
        return after.percent != saved_percent
    return after.percent // 10 != saved_percent // 10


def _cancelled(row: RowStatus) -> str:
    where = f"step {row.step_index + 1}/{row.step_count} ({row.step})" if row.step else "its start"
    return (f"Cancelled during {where}. The device's own safeguards keep its previous state; a retry "
            "checks it again before anything more is written.")


async def _close(session: DeviceSession) -> None:
    try:
        await session.aclose()
    except AppError as err:
        log.info("Closing a device after its job part: %s", err)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]
