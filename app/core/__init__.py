"""Qt-free basics shared by every layer: errors, models, clock, progress."""
