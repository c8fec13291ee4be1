"""Importing WeasyPrint quickly and quietly.

WeasyPrint finds Pango, HarfBuzz and fontconfig by trying several library names through
cffi, which falls back to `ctypes.util.find_library` for each name that fails — and on
Linux that runs `ldconfig`, `gcc` and `ld` in subprocesses and writes temporary files to
/tmp, about a dozen times: some 0.2 s of a 0.55 s import, and files opened outside the case.
While WeasyPrint is imported here, `find_library` instead looks for `lib<name>.so*` in the
dynamic linker's standard folders. If the import fails that way (libraries installed
somewhere unusual), it is retried with the standard lookup.
WeasyPrint is imported only through `import_weasyprint`.
"""

from __future__ import annotations

import importlib
import sys
import sysconfig
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType


@cache
def _library_dirs() -> tuple[Path, ...]:
    triplet = sysconfig.get_config_var("MULTIARCH") or ""
    roots = ("/usr/lib", "/lib", "/usr/local/lib", "/usr/lib64", "/lib64")
    dirs = [Path(root) / triplet for root in roots if triplet] + [Path(root) for root in roots]
    return tuple(d for d in dirs if d.is_dir())


def _find_library(name: str) -> str | None:
    """The soname of `lib<name>.so…` in a standard library folder, like find_library."""
    for folder in _library_dirs():
        found = sorted(folder.glob(f"lib{name}.so*"), key=lambda p: len(p.name))
        if found:
            return found[0].name
    return None


@contextmanager
def _fast_library_lookup() -> Iterator[None]:
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = _find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> ModuleType:
    """The weasyprint module, imported with the fast library lookup on Linux.

    Python's own table of media types is set up first, without reading the system's
    (`/etc/mime.types` and others), which WeasyPrint would otherwise read as it loads.
    """
    import mimetypes

    if not mimetypes.inited:
        mimetypes.knownfiles = []  # the documented list of system files init() reads
        mimetypes.init()
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return importlib.import_module("weasyprint")
    try:
        with _fast_library_lookup():
            return importlib.import_module("weasyprint")
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        return importlib.import_module("weasyprint")


@contextmanager
def icc_profile_left_open() -> Iterator[None]:
    """WeasyPrint (70) opens its sRGB profile for a PDF/A's output intent and leaves the
    file to be closed when collected, which Python reports as a ResourceWarning; that one
    warning, about that file, is not ours to report."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", r"unclosed file .*sRGB2014\.icc", category=ResourceWarning
        )
        yield
