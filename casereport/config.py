"""The user's configuration file, `$XDG_CONFIG_HOME/casereport/config.yaml` (by default
`~/.config/casereport/config.yaml`), read by the command line only: the library API takes
everything as arguments.

    bibliographies:                  # reference libraries outside every case folder
      - ~/Zotero/My Library.bib      # e.g. Better BibTeX's auto-exported file

A key a case cites and does not define is looked up in these (after any `--bibliography`
given on the command line) and copied into the case's lock file (`references.library`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from casereport.errors import UsageError
from casereport.yaml_readers import safe_load

KEYS = ("bibliographies",)


def config_path() -> Path:
    """Where the user's configuration file is (it need not exist)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "casereport" / "config.yaml"


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The configuration (empty without a file); a file that is not valid is a usage error
    naming it, in one line."""
    path = path or config_path()
    if not path.is_file():
        return {}
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    except Exception as exc:  # a YAML error: its own message says where
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{path}: not valid YAML: {first}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a mapping such as `bibliographies: [...]`")
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        raise UsageError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    return data


def libraries(given: tuple[Path, ...], path: Path | None = None) -> tuple[Path, ...]:
    """The reference libraries to look in: those given with `--bibliography`, then those of
    the configuration file; each must be a file."""
    for library in given:
        if not library.expanduser().is_file():
            raise UsageError(f"--bibliography {library}: no such file")
    path = path or config_path()
    listed = read_config(path).get("bibliographies") or []
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise UsageError(f"{path}: bibliographies: a list of file paths")
    found = [Path(p).expanduser() for p in listed]
    for n, library in enumerate(found):
        if not library.is_file():
            raise UsageError(f"{path}: bibliographies[{n}]: {listed[n]}: no such file")
    return tuple(dict.fromkeys([*(p.expanduser() for p in given), *found]))
