"""Unit tests of the 2N vendor package."""
