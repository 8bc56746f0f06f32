"""Frozen entry point: the same `main()` as `commissioner` and `python -m app`."""

import multiprocessing
import sys

from app.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
