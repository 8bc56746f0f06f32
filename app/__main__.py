"""`python -m app` runs the same entry point as `commissioner`."""

from app.main import main

raise SystemExit(main())
