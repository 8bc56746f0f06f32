"""One package per vendor; `registry.PLUGINS` lists them explicitly."""
