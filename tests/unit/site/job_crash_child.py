"""A process that runs a firmware job until it is killed: device 0 done, device 1 held mid-upload,
device 2 not started. Prints "ready" once the job stands there. Usage: python -m ... DB PACKAGE"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from app.site.jobs.engine import SiteJob
from app.site.jobs.model import JobSettings, RowState
from app.site.jobs.store import JobStore
from app.site.jobs.tasks.firmware import FirmwareTask
from tests.unit.site.job_fakes import NEW, FakeAccess, FakeDevice, Site


async def run(database: Path, package: Path) -> None:
    """Run the job; never returns (the parent kills the process)."""
    site = Site().add(FakeDevice("0"), FakeDevice("1", hold=asyncio.Event()), FakeDevice("2"))
    job = SiteJob(FirmwareTask(package, version=NEW), site.targets, FakeAccess(site),
                  settings=JobSettings(concurrency=1, upload_concurrency=1), store=JobStore(database))
    asyncio.get_running_loop().create_task(job.run())
    while not (job.rows[0].state is RowState.DONE and job.rows[1].percent == 45):
        await asyncio.sleep(0.01)
    print("ready", job.job_id, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(run(Path(sys.argv[1]), Path(sys.argv[2])))
