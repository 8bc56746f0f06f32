"""The Axis multisensor camera panel: stitching alignment with a live panorama preview."""
