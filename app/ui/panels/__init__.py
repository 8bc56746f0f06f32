"""Device panels: one package per vendor, registered in `registry.PANELS`."""
