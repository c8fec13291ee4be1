"""Journal profiles: a folder of templates, styles and limits, found along a lookup path."""

from __future__ import annotations

import hashlib
import os
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
from casereport.profiles import JournalNotFound as JournalNotFound
from casereport.profiles import (
    listed,
    merged,
    stamp,
)
from casereport.profiles import merge as merge
from casereport.prose import CitationStyle

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
    file_name: str = "figure-{number}"  # submission files: figure-1.tiff
    max_mb: float | None = None  # the journal's size limit of one figure file

    def caption_label(self, number: int) -> str:
        """The label a figure's caption starts with: "Fig. 1.", "Figure 1:"."""
        return self.caption.format(number=number)


MANUSCRIPT_KEYS = (
    "font_size",
    "line_spacing",
    "line_numbers",
    "page_numbers",
    "figures",
    "abstract_heading",
)


@dataclass(frozen=True)
class ManuscriptStyle:
    """How the journal wants the Word manuscript (`manuscript:`, `--to docx`): the type size
    in points, the line spacing (2: double), line numbers in the margin, page numbers in the
    footer, figures `embedded` where the text places them or `separate` (files uploaded on
    their own, the manuscript ending in their legends), and the abstract's heading."""

    font_size: float = 12.0
    line_spacing: float = 2.0
    line_numbers: bool = True
    page_numbers: bool = True
    figures: Literal["embedded", "separate"] = "embedded"
    abstract_heading: str = "Abstract"


@dataclass(frozen=True)
class Journal:
    """A journal profile, read from `<templates>/<id>/journal.yaml`."""

    id: str
    name: str
    folder: Path
    search_path: tuple[Path, ...]
    lineage: tuple[str, ...] = ()  # this profile, then the one it extends, up to the root
    source: str | None = None  # the journal's page the profile follows
    short_name: str | None = None
    citations: CitationStyle = field(default_factory=CitationStyle)
    limits: dict[str, Limits] = field(default_factory=dict)
    figure_width_mm: dict[str, float] = field(default_factory=lambda: {"full": 170.0})
    dpi: int = 300
    salutation: str = "Sirs,"
    style: str | None = None
    own_citations: bool = False
    figure_style: FigureStyle = field(default_factory=FigureStyle)
    articles: dict[str, ArticleRules] = field(default_factory=dict)
    manuscript: ManuscriptStyle = field(default_factory=ManuscriptStyle)

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders of this profile and of those it extends, nearest first; for each,
        every folder of that name along the search path (your `--templates` folder's
        `clin-exp-rheumatol/` before the built-in one, whose files it falls back to)."""
        names = self.lineage or (self.id,)
        found = [f / name for name in names for f in self.search_path if (f / name).is_dir()]
        return tuple(dict.fromkeys(found)) or (self.folder,)

    def nearest(self, name: str) -> Path | None:
        """`name` (style.csl, a template) from this profile's folder or the nearest it extends."""
        return next((f / name for f in self.folders if (f / name).is_file()), None)

    def stylesheets(self) -> tuple[Path, ...]:
        """The style.css of every profile along the chain, the root's first (for each, the
        first along the search path): a profile's own stylesheet holds what differs from its
        parent's."""
        sheets = []
        for name in reversed(self.lineage or (self.id,)):
            found = (f / name / "style.css" for f in self.search_path)
            sheet = next((p for p in found if p.is_file()), None)
            if sheet is not None:
                sheets.append(sheet)
        return tuple(sheets)

    def stylesheet(self, cache_dir: Path) -> Path:
        """The letter's stylesheet: the profile's style.css after those of the profiles it
        extends, in one file (made in `cache_dir` when there are several)."""
        sheets = self.stylesheets()
        if len(sheets) == 1:
            return sheets[0]
        if not sheets:
            raise BuildError(f"{self.folder}: no style.css in this profile or those it extends")
        parts = [
            f"/* {p.parent.name}/style.css */\n{p.read_text(encoding='utf-8')}" for p in sheets
        ]
        text = "\n".join(parts).encode("utf-8")
        combined = cache_dir / f"{hashlib.sha256(text).hexdigest()[:32]}.css"
        if not combined.is_file():
            cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = combined.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(text)
            temporary.replace(combined)
        return combined

    @property
    def csl_path(self) -> Path:
        """The profile's own style file (used when journal.yaml names no `style`): its
        style.csl or the nearest parent's."""
        return self.nearest("style.csl") or self.folder / "style.csl"

    def limits_for(self, article: str) -> Limits:
        return self.limits.get(article, Limits())

    @property
    def publishes(self) -> tuple[str, ...]:
        """The article types the profile has (`articles:`; a profile without: letters)."""
        return tuple(self.articles) or ("letter",)

    def article(self, article: str) -> ArticleRules:
        """How this journal publishes `article` (a letter's text is one body by default)."""
        return self.articles.get(article) or ArticleRules(article, declarations=LETTER)


def search_path(user_templates: Path | None = None) -> tuple[Path, ...]:
    """Template folders in lookup order: the user's, then the built-ins."""
    folders = [user_templates] if user_templates else []
    return (*folders, builtin_templates())


def available_journals(path: tuple[Path, ...]) -> list[str]:
    """Ids of every journal profile along the search path (not the bases, `base: true`,
    which are there to be extended)."""
    return listed(path)


def load_journal(name: str, path: tuple[Path, ...]) -> Journal:
    """The profile `name`, from the first folder along `path` that has it, with what it
    inherits (`extends:`) merged in."""
    files = stamp(name, path)
    if merged(files).get("base"):
        raise JournalNotFound(name, available_journals(path), base=True)
    return _journal(name, path, files)


@lru_cache(maxsize=32)
def _journal(name: str, path: tuple[Path, ...], stamp: tuple[tuple[str, int], ...]) -> Journal:
    """The profile, read once per modification of any file it is made of."""
    data = merged(stamp)
    files = tuple(Path(file) for file, _ in stamp)
    profile = files[0]
    if "name" not in data:
        raise BuildError(f"{profile}: name: required (the journal's name, as printed)")
    try:
        limits = parse_limits(data.get("limits") or {})
    except ValueError as exc:
        raise BuildError(f"{profile}: limits: {exc}") from None
    return Journal(
        id=name,
        lineage=tuple(f.parent.name for f in files),
        source=data.get("source"),
        short_name=data.get("short_name"),
        name=str(data["name"]),
        folder=profile.parent,
        search_path=path,
        citations=_citations(profile, data.get("citations") or {}),
        limits=limits,
        figure_width_mm=data.get("figure_width_mm", {"full": 170.0}),
        dpi=data.get("dpi", 300),
        salutation=data.get("salutation", "Sirs,"),
        style=data.get("style"),
        own_citations="cite" in (data.get("citations") or {}),
        figure_style=_figure_style(profile, data.get("figures") or {}),
        articles=_articles(profile, data.get("articles") or {}),
        manuscript=_manuscript_style(profile, data.get("manuscript") or {}),
    )


def _citations(profile: Path, data: dict[str, Any]) -> CitationStyle:
    """The profile's `citations:`: how the text cites references, figures and tables."""
    try:
        style = CitationStyle(**data)
        _choice(style.table_numbering, ("roman", "arabic"))
    except (TypeError, ValueError) as exc:
        raise BuildError(f"{profile}: citations: {exc}") from None
    return style


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
            file_name=_file_name(data.get("file_name", "figure-{number}")),
            max_mb=_positive(data.get("max_mb")),
        )
    except (TypeError, ValueError) as exc:
        raise BuildError(f"{profile}: figures: {exc}") from None


def _manuscript_style(profile: Path, data: object) -> ManuscriptStyle:
    """The profile's `manuscript:` section (see templates/base/journal.yaml)."""
    try:
        if not isinstance(data, dict):
            raise ValueError("a mapping (font_size: 12, line_spacing: 2, ...)")
        unknown = [key for key in data if key not in MANUSCRIPT_KEYS]
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}; known: {', '.join(MANUSCRIPT_KEYS)}")
        style = ManuscriptStyle(**data)
        _number(style.font_size, "font_size", 6, 72)
        _number(style.line_spacing, "line_spacing", 1, 3)
        for key in ("line_numbers", "page_numbers"):
            if not isinstance(getattr(style, key), bool):
                raise ValueError(f"{key}: true or false")
        _choice(style.figures, ("embedded", "separate"))
        if not isinstance(style.abstract_heading, str) or not style.abstract_heading.strip():
            raise ValueError("abstract_heading: the heading's text, e.g. Abstract")
    except (TypeError, ValueError) as exc:
        raise BuildError(f"{profile}: manuscript: {exc}") from None
    return style


def _number(value: object, key: str, low: float, high: float) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    if not ok:
        raise ValueError(f"{key} {value!r}: a number from {low:g} to {high:g}")


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


def _file_name(value: object) -> str:
    """A submission file name such as "Figure {number}" (no folder, no extension)."""
    text = _caption(value).replace("{number}", "")
    bad = any(c in text for c in '/\\:*?"<>|.')
    if bad or str(value) != str(value).strip() or not text.strip(" -_"):
        raise ValueError(
            f"file_name {value!r}: a file name with {{number}} and no folder or extension, "
            'e.g. "Figure {number}"'
        )
    return str(value)


def _positive(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"max_mb {value!r}: a size in megabytes, e.g. 2")
    return float(value)


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
