"""Journal profiles: a folder of templates, styles and limits, found along a lookup path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from casereport.prose import CitationStyle

PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_templates() -> Path:
    """The built-in journal profiles: inside the installed package, or beside it in a checkout."""
    installed = PACKAGE_DIR / "templates"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "templates"


@dataclass(frozen=True)
class Limits:
    """What the journal accepts for an article type (None: no limit)."""

    words: int | None = None
    references: int | None = None
    figures: int | None = None
    authors: int | None = None


@dataclass(frozen=True)
class Journal:
    """A journal profile, read from `<templates>/<id>/journal.yaml`."""

    id: str
    name: str
    folder: Path
    search_path: tuple[Path, ...]
    citations: CitationStyle = field(default_factory=CitationStyle)
    limits: dict[str, Limits] = field(default_factory=dict)
    figure_width_mm: dict[str, float] = field(default_factory=lambda: {"full": 170.0})
    dpi: int = 300
    salutation: str = "Sirs,"

    @property
    def csl_path(self) -> Path:
        return self.folder / "style.csl"

    def limits_for(self, article: str) -> Limits:
        return self.limits.get(article, Limits())


class JournalNotFound(LookupError):
    """No profile of that name along the search path; carries a suggestion."""

    def __init__(self, name: str, known: list[str]) -> None:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; available: {', '.join(known)}"
        super().__init__(f"unknown journal {name!r}{hint}")


def search_path(user_templates: Path | None = None) -> tuple[Path, ...]:
    """Template folders in lookup order: the user's, then the built-ins."""
    folders = [user_templates] if user_templates else []
    return (*folders, builtin_templates())


def available_journals(path: tuple[Path, ...]) -> list[str]:
    """Ids of every journal profile along the search path."""
    found = {p.parent.name for folder in path for p in folder.glob("*/journal.yaml")}
    return sorted(found)


def load_journal(name: str, path: tuple[Path, ...]) -> Journal:
    """The profile `name`, from the first folder along `path` that has it."""
    for folder in path:
        profile = folder / name / "journal.yaml"
        if "/" not in name and profile.is_file():
            return _read_profile(profile, path, profile.stat().st_mtime_ns)
    raise JournalNotFound(name, available_journals(path))


@lru_cache(maxsize=32)
def _read_profile(profile: Path, path: tuple[Path, ...], mtime_ns: int) -> Journal:
    """The profile, read once per modification (a profile edited while serving is re-read)."""
    data: dict[str, Any] = yaml.safe_load(profile.read_text(encoding="utf-8"))
    limits = {kind: Limits(**values) for kind, values in data.get("limits", {}).items()}
    return Journal(
        id=profile.parent.name,
        name=data["name"],
        folder=profile.parent,
        search_path=path,
        citations=CitationStyle(**data.get("citations", {})),
        limits=limits,
        figure_width_mm=data.get("figure_width_mm", {"full": 170.0}),
        dpi=data.get("dpi", 300),
        salutation=data.get("salutation", "Sirs,"),
    )
