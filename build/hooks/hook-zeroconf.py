"""Collect zeroconf's compiled (Cython) submodules, which static analysis cannot see."""

from PyInstaller.utils.hooks import collect_dynamic_libs, collect_submodules

hiddenimports = collect_submodules("zeroconf")
binaries = collect_dynamic_libs("zeroconf")
