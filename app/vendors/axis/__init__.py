"""Axis multisensor cameras: VAPIX identity and the stitching API (stitching.cgi)."""
