"""Journal profile files: found along the template search path, read once per change, and
merged with the profiles they extend (`extends:`) into one mapping for `journal.py`."""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Any

from casereport.errors import BuildError
from casereport.yaml_readers import safe_load

PROFILE = "journal.yaml"
MAX_DEPTH = 16
# The keys of a journal.yaml (see templates/base/journal.yaml and the README).
PROFILE_KEYS = (
    "name",
    "short_name",
    "extends",
    "base",
    "source",
    "style",
    "salutation",
    "citations",
    "figure_width_mm",
    "dpi",
    "figures",
    "articles",
    "limits",
    "manuscript",
)
WHOLE = ("sections",)  # mappings a child profile replaces whole rather than merging


class JournalNotFound(LookupError):
    """No profile of that name along the search path; carries a suggestion."""

    def __init__(self, name: str, known: list[str], *, where: str = "", base: bool = False) -> None:
        close = difflib.get_close_matches(name, known, n=1)
        close = close or [k for k in known if name and name.lower() in k][:1]
        hint = f"; did you mean {close[0]!r}?" if close else f"; available: {', '.join(known)}"
        if base:
            message = f"{name!r} is a base profile, for other profiles to extend{hint}"
        else:
            message = f"unknown journal {name!r}{hint}"
        super().__init__(f"{where}{message}")


def find_profile(name: str, path: tuple[Path, ...]) -> Path | None:
    """The first `<folder>/<name>/journal.yaml` along `path`."""
    if not name or "/" in name or name.startswith("."):
        return None
    return next((f / name / PROFILE for f in path if (f / name / PROFILE).is_file()), None)


def stamp(name: str, path: tuple[Path, ...]) -> tuple[tuple[str, int], ...]:
    """The profile files `name` is made of, its own journal.yaml first, then its parent's,
    up to the root (a profile that extends none), with their modification times: a profile
    or a parent edited while serving is read again."""
    files: list[tuple[str, int]] = []
    while True:
        profile = find_profile(name, path)
        if profile is None:
            known = listed(path) if not files else all_profiles(path)
            where = f"{files[-1][0]}: extends: " if files else ""
            raise JournalNotFound(name, known, where=where)
        seen = [Path(f) for f, _ in files]
        if profile in seen or len(files) > MAX_DEPTH:
            chain = " -> ".join(p.parent.name for p in (*seen, profile))
            raise BuildError(f"{files[0][0]}: extends: a profile cannot extend itself ({chain})")
        mtime_ns = profile.stat().st_mtime_ns
        files.append((str(profile), mtime_ns))
        parent = _own_data(profile, mtime_ns).get("extends")
        if parent is None:
            return tuple(files)
        if not isinstance(parent, str):
            raise BuildError(f"{profile}: extends: name one profile, e.g. `extends: care`")
        name = parent


def all_profiles(path: tuple[Path, ...]) -> list[str]:
    return sorted({p.parent.name for folder in path for p in folder.glob(f"*/{PROFILE}")})


def profile_data(name: str, path: tuple[Path, ...]) -> dict[str, Any]:
    """The profile's data with what it inherits merged in (see `merge`)."""
    return merged(stamp(name, path))


@lru_cache(maxsize=64)
def merged(stamp: tuple[tuple[str, int], ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for file, mtime_ns in reversed(stamp):
        own = dict(_own_data(Path(file), mtime_ns))
        own.pop("extends", None)
        if file != stamp[0][0]:
            own.pop("base", None)  # a profile extending a base is not one itself
        data = merge(data, own)
    return data


@lru_cache(maxsize=64)
def _own_data(profile: Path, mtime_ns: int) -> dict[str, Any]:
    """One journal.yaml as written (its unknown keys are errors: a typo is never ignored)."""
    data = safe_load(profile.read_text(encoding="utf-8"))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BuildError(f"{profile}: a journal profile is a mapping (name: ..., style: ...)")
    unknown = [key for key in data if key not in PROFILE_KEYS]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), PROFILE_KEYS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(PROFILE_KEYS)}"
        raise BuildError(f"{profile}: unknown key {unknown[0]!r}{hint}")
    return data


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """A child profile over its parent: mappings merge key by key, lists and scalars
    replace, `null` removes the parent's key; an article's `sections:` replaces the
    parent's whole (their order is the journal's)."""
    merged = dict(parent)
    for name, value in child.items():
        if value is None:
            merged.pop(name, None)
        elif isinstance(value, dict) and isinstance(merged.get(name), dict) and name not in WHOLE:
            merged[name] = merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def listed(path: tuple[Path, ...]) -> list[str]:
    """Ids of every journal profile along the search path (not the bases, `base: true`,
    which are there to be extended)."""
    return sorted(name for name in all_profiles(path) if not profile_data(name, path).get("base"))
