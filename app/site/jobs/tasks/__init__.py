"""The work of each kind of site job on one device, each confirmed by reading the device back."""
