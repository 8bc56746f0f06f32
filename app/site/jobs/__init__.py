"""Site jobs: one kind of work (firmware, first password, backup, time) over many devices, Qt-free."""
