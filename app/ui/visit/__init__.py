"""The visit in the GUI: open a site plan, its checklist dock, the visit's details, export and import."""
