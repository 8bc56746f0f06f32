"""Runs an Operation with progress and records its outcome in the device's history (Qt-free)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, TypeVar

from app.backend.history import DeviceHistory
from app.core.errors import AppError, TransferError
from app.core.progress import Operation, ProgressCallback, ProgressReporter

log = logging.getLogger(__name__)

T = TypeVar("T")


async def run_operation(
    operation: Operation[T],
    on_progress: ProgressCallback | None = None,
    *,
    history: DeviceHistory | None = None,
) -> T:
    """Run `operation` with a reporter feeding `on_progress`; return its result or re-raise its error.

    With a history and a device key, records "started", then "succeeded", "failed" (with the error
    and, for a TransferError, where the device was left) or "cancelled" before re-raising; an
    operation that does not `record_success` (a read) records only "failed".
    """
    reporter = ProgressReporter(operation.stages, on_progress)
    routine = history if operation.record_success else None  # where everything but a failure goes
    _record(routine, operation, "started", {})
    try:
        result = await operation.run(reporter)
    except asyncio.CancelledError:
        _record(routine, operation, "cancelled", {"stage": reporter.current.stage})
        raise
    except Exception as err:  # recorded, then re-raised unchanged to the caller's error sink
        _record(history, operation, "failed", _error_detail(err, reporter))
        raise
    _record(routine, operation, "succeeded", {})
    return result


def _error_detail(err: Exception, reporter: ProgressReporter) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "error": type(err).__name__,
        "message": str(err),
        "stage": reporter.current.stage,
    }
    if isinstance(err, AppError) and err.code is not None:
        detail["code"] = err.code
    if isinstance(err, TransferError) and err.state:
        detail["state"] = err.state
    return detail


def _record(
    history: DeviceHistory | None, operation: Operation[Any], result: str, detail: dict[str, Any]
) -> None:
    if history is None or not operation.device_key:
        return
    history.record(operation.device_key, operation.title, result, detail)
    log.info("%s on %s: %s", operation.title, operation.device_key, result)
