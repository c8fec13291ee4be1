"""Journal profiles: a folder of templates, styles and limits, found along a lookup path."""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from casereport.articles import (
    ARTICLE_TYPES,
    AbstractRule,
    ArticleRules,
    KeywordRule,
    SectionRule,
    known_section,
    section_id,
)
from casereport.errors import BuildError
from casereport.figures.annotate import LabelStyle
from casereport.figures.legend import LegendStyle
from casereport.journal_limits import Limits, parse_limits
from casereport.prose import CitationStyle
from casereport.yaml_readers import safe_load

PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_templates() -> Path:
    """The built-in journal profiles: inside the installed package, or beside it in a checkout."""
    installed = PACKAGE_DIR / "templates"
    return installed if installed.is_dir() else PACKAGE_DIR.parent / "templates"


COLOURS = {"black": (0, 0, 0), "white": (255, 255, 255)}


@dataclass(frozen=True)
class FigureStyle:
    """How the journal wants figures: legend phrasing, panel letters, submission files."""

    legend: LegendStyle = field(default_factory=LegendStyle)
    label: LabelStyle = field(default_factory=LabelStyle)
    gutter_mm: float = 2.0
    submission: Literal["jpeg", "tiff"] = "jpeg"
    caption: str = "Fig. {number}."

    def caption_label(self, number: int) -> str:
        """The label a figure's caption starts with: "Fig. 1.", "Figure 1:"."""
        return self.caption.format(number=number)


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
    style: str | None = None
    own_citations: bool = False
    figure_style: FigureStyle = field(default_factory=FigureStyle)
    articles: dict[str, ArticleRules] = field(default_factory=dict)

    @property
    def csl_path(self) -> Path:
        """The profile's own style file (used when journal.yaml names no `style`)."""
        return self.folder / "style.csl"

    def limits_for(self, article: str) -> Limits:
        return self.limits.get(article, Limits())

    @property
    def publishes(self) -> tuple[str, ...]:
        """The article types the profile has (`articles:`; a profile without: letters)."""
        return tuple(self.articles) or ("letter",)

    def article(self, article: str) -> ArticleRules:
        """How this journal publishes `article` (a letter's text is one body by default)."""
        return self.articles.get(article) or ArticleRules(article, declarations=LETTER)


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
    data: dict[str, Any] = safe_load(profile.read_text(encoding="utf-8"))
    try:
        limits = parse_limits(data.get("limits") or {})
    except ValueError as exc:
        raise BuildError(f"{profile}: limits: {exc}") from None
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
        style=data.get("style"),
        own_citations="citations" in data,
        figure_style=_figure_style(profile, data.get("figures") or {}),
        articles=_articles(profile, data.get("articles") or {}),
    )


def _figure_style(profile: Path, data: dict[str, Any]) -> FigureStyle:
    """The profile's `figures:` section (see templates/clin-exp-rheumatol/journal.yaml)."""
    try:
        label = dict(data.get("label") or {})
        for key in ("colour", "box_colour"):
            if key in label:
                label[key] = _colour(label[key])
        legend = LegendStyle(data.get("legend", "positional"), data.get("letters", "upper"))
        if legend.phrasing not in ("positional", "lettered") or legend.letters not in (
            "upper",
            "lower",
        ):
            raise ValueError("legend must be positional or lettered, letters upper or lower")
        return FigureStyle(
            legend=legend,
            label=LabelStyle(**label),
            gutter_mm=float(data.get("gutter_mm", 2.0)),
            submission=_choice(data.get("submission", "jpeg"), ("jpeg", "tiff")),
            caption=_caption(data.get("caption", "Fig. {number}.")),
        )
    except (TypeError, ValueError) as exc:
        raise BuildError(f"{profile}: figures: {exc}") from None


def _colour(value: object) -> tuple[int, int, int]:
    """ "black", "white" or "#rrggbb" as an RGB triple."""
    if isinstance(value, str) and value.lower() in COLOURS:
        return COLOURS[value.lower()]
    if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
        return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
    raise ValueError(f"colour {value!r}: use black, white or #rrggbb")


def _caption(value: object) -> str:
    """A caption label such as "Figure {number}:": text with the figure's `{number}` once."""
    try:
        text = str(value) if isinstance(value, str) else ""
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        usable = fields == ["number"] and bool(text.format(number=1))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        usable = False
    if not usable:
        raise ValueError(
            f'caption {value!r}: write the label with {{number}}, e.g. "Figure {{number}}:"'
        )
    return text


def _choice(value: object, allowed: tuple[str, ...]) -> Any:
    if value not in allowed:
        raise ValueError(f"{value!r}: expected one of {', '.join(allowed)}")
    return value


LETTER = (
    ("funding", "Funding"),
    ("competing-interests", "Competing interests"),
    ("consent", "Patient consent"),
)


def _articles(profile: Path, data: dict[str, Any]) -> dict[str, ArticleRules]:
    """The profile's `articles:` (see templates/care/journal.yaml)."""
    try:
        return {kind: _article(kind, dict(values or {})) for kind, values in data.items()}
    except (TypeError, ValueError, AttributeError) as exc:
        raise BuildError(f"{profile}: articles: {exc}") from None


def _article(kind: str, data: dict[str, Any]) -> ArticleRules:
    if kind not in ARTICLE_TYPES:
        raise ValueError(f"{kind!r} is not an article type ({', '.join(ARTICLE_TYPES)})")
    sections = tuple(
        _section_rule(name, rule) for name, rule in (data.get("sections") or {}).items()
    )
    abstract = dict(data.get("abstract") or {})
    parts = tuple(abstract.pop("parts", ()))
    shape = abstract.pop("shape", "structured" if parts else "none")
    declarations = data.get("declarations") or dict(LETTER)
    return ArticleRules(
        type=kind,
        sections=sections,
        other_sections=bool(data.get("other_sections", True)),
        abstract=AbstractRule(_choice(shape, ("none", "plain", "structured")), parts, **abstract),
        keywords=KeywordRule(
            **{
                **(data.get("keywords") or {}),
                "require": tuple((data.get("keywords") or {}).get("require", ())),
            }
        ),
        declarations=tuple((k, str(v)) for k, v in declarations.items()),
        required_declarations=tuple(data.get("required_declarations", ())),
        consent=data.get("consent"),
        template=data.get("template", f"{kind}.html.j2"),
    )


def _section_rule(name: str, rule: object) -> SectionRule:
    section = section_id(name)
    known = known_section(section)
    values = dict(rule) if isinstance(rule, dict) else {}
    heading = values.get("heading") or (known.heading if known else name)
    return SectionRule(section, str(heading), bool(values.get("required", False)))
