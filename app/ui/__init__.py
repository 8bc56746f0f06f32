"""The only layer that imports PySide6 or qasync."""
