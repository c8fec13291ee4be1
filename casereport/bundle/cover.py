"""The cover letter and the consent statement of a submission bundle.

The cover letter is a Jinja template found along the journal profile's chain
(`cover-letter.txt.j2`: the journal's own, else the nearest profile's it extends, else
`base/`), so a journal that asks its cover letter to say something has a template that says
it. What the case wrote reaches the template as values, never as template text: `{{ 7*7 }}`
in a title prints as written. The output is plain text, so nothing is escaped; Markdown is
reduced to its words (emphasis markers and escapes dropped, citations left out, a cover
letter having no reference list).

A template marks what the journal cannot do without with the `required` filter
(`{{ adds | required("how the case adds to the literature", "cover_letter.adds") }}`): a
value that is missing refuses the bundle with that field named, before anything is written.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casereport.articles import section_id
from casereport.errors import Problem, ProblemsFound

if TYPE_CHECKING:
    from casereport.checks import Checked
    from casereport.model import Case

TEMPLATE = "cover-letter.txt.j2"
CONCLUSIONS = ("conclusions", "conclusion")
LEARNING_POINTS = "learning-points"


@dataclass(frozen=True)
class Signature:
    """The corresponding author as the letter is signed: name, then lines below it."""

    name: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class CoverValues:
    """What the cover letter template sees (besides `journal` and `article`)."""

    title: str
    adds: str | None
    adds_from: str | None  # the field it was taken from: cover_letter.adds, abstract.conclusions…
    prior_publication: str | None
    competing_interests: str
    funding: str | None
    consent: str | None
    consent_written: bool  # the case says `consent: written`: the patient signed the form
    authors: tuple[str, ...]
    signature: Signature


def plain(text: str) -> str:
    """Markdown prose as plain words, as the Markdown parser of the letter reads it (so
    `{{ 7*7 }}` stays as written): emphasis kept as its text, citations left out (a cover
    letter has no reference list), one line."""
    from casereport.export.text import inlines_text
    from casereport.manuscript import Text
    from casereport.prose import parse_prose, prose_inlines

    inlines = prose_inlines(parse_prose(text, inline=True), lambda _: Text(""))
    words = " ".join(inlines_text(inlines).split())
    return re.sub(r" +([.,;:])", r"\1", words)


def what_it_adds(case: Case) -> tuple[str | None, str | None]:
    """How the case adds to the literature, and the field it comes from: `cover_letter.adds`,
    else the abstract's conclusions, else the learning points."""
    if case.cover_letter and case.cover_letter.adds:
        return plain(case.cover_letter.adds), "cover_letter.adds"
    if isinstance(case.abstract, dict):
        for part, text in case.abstract.items():
            if part.strip().lower() in CONCLUSIONS:
                return plain(text), f"abstract.{part}"
    for name, value in case.sections.items():
        if section_id(name) == LEARNING_POINTS and isinstance(value, tuple):
            return " ".join(plain(p).rstrip(".") + "." for p in value), f"sections.{name}"
    return None, None


def consent_statement(checked: Checked) -> str | None:
    """The consent statement as the case's declarations print it for this journal (its own
    sentence when the case says `written`); the case's own words when the article type
    prints no declarations."""
    from casereport.assemble import declarations

    rules = checked.journal.article(checked.case.article)
    printed = [d.text for d in declarations(checked.case, rules) if d.kind == "consent"]
    if printed:
        return printed[0]
    written = (checked.case.consent or "").strip()
    if written.lower() == "written" and rules.consent:
        return " ".join(rules.consent.split())
    return written or None


def cover_values(checked: Checked) -> CoverValues:
    """The values of the cover letter, from the case as built for the journal."""
    case = checked.case
    adds, adds_from = what_it_adds(case)
    prior = case.cover_letter.prior_publication if case.cover_letter else None
    return CoverValues(
        title=plain(case.title),
        adds=adds,
        adds_from=adds_from,
        prior_publication=prior,
        competing_interests=case.competing_interests,
        funding=case.funding,
        consent=consent_statement(checked),
        consent_written=(case.consent or "").strip().lower() == "written",
        authors=tuple(_with_degrees(a.name, a.degrees) for a in case.authors),
        signature=signature(case),
    )


def _with_degrees(name: str, degrees: Sequence[str]) -> str:
    return f"{name}, {', '.join(degrees)}" if degrees else name


def signature(case: Case) -> Signature:
    """The corresponding author (the one marked, else the first) with degrees, then the
    postal address and e-mail of `correspondence`, else the author's affiliations and
    e-mail."""
    author = next((a for a in case.authors if a.corresponding), case.authors[0])
    if case.correspondence is not None:
        lines = [*case.correspondence.address, case.correspondence.email]
    else:
        lines = [case.affiliations[a] for a in author.affiliations if a in case.affiliations]
        lines += [author.email] if author.email else []
    return Signature(_with_degrees(author.name, author.degrees), tuple(lines))


def required(value: object, what: str, field: str) -> object:
    """The `required` filter: `value`, or the bundle is refused naming `field`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _Missing(what, field)
    return value


def wrap(text: str, width: int = 88) -> str:
    """The `wrap` filter: a paragraph in lines of at most `width` characters, broken at
    spaces only (never inside a hyphenated word or a long one)."""
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False)


class _Missing(Exception):
    def __init__(self, what: str, field: str) -> None:
        super().__init__(what)
        self.what, self.field = what, field


def cover_letter(checked: Checked) -> str:
    """The cover letter for the journal the case is checked for, as plain text. A value the
    journal's template requires and the case lacks raises `ProblemsFound` at its field."""
    import jinja2

    journal = checked.journal
    found = journal.nearest(TEMPLATE)
    if found is None:
        raise ProblemsFound([Problem(("journal",), f"{journal.id}: no {TEMPLATE} in its chain")])
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in journal.search_path]),
        autoescape=False,  # plain text: the values are printed as they are, never evaluated
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["required"] = required
    env.filters["wrap"] = wrap
    values = cover_values(checked)
    article = checked.case.article.replace("-", " ")
    name = f"{found.parent.name}/{TEMPLATE}"
    try:
        fields = {f.name: getattr(values, f.name) for f in dataclasses.fields(values)}
        text = env.get_template(name).render(journal=journal.name, article=article, **fields)
    except _Missing as missing:
        message = f"{journal.name} asks the cover letter to say {missing.what}; " + (
            f"write it as `{missing.field}:`"
        )
        path = tuple(missing.field.split("."))
        raise ProblemsFound([Problem(path, message)]) from None
    return re.sub(r"\n{3,}", "\n\n", text)
