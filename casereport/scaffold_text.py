"""The case file `casereport new` writes: every field a journal's article type uses, explained.

Each field comes under a comment: its description from the case file's schema (the words an
editor shows on hover), then what the journal's profile asks of it (required, how many
words, its heading). What the author must write is a `TODO` placeholder, chosen so that the
fresh case validates with warnings only (`checks.check_placeholders` reports each one left).
Fields any case may have (patient, scores, labs, …) follow, commented out, with an example.
"""

from __future__ import annotations

import textwrap
from typing import Any

from casereport.articles import TEXT_SHAPE, ArticleRules, SectionRule, declaration_field
from casereport.case_schema import description
from casereport.journal import Journal
from casereport.journal_limits import Limits

SCHEMA_FILE = "case.schema.json"
BIBLIOGRAPHY = "references.bib"
IMAGE = "images/placeholder.png"
CITED = "gagnier2013"  # the example reference of references.bib
FIGURE = "example"
WIDTH = 94  # of a comment line, with its indentation


class _Writer:
    """Lines of YAML with their comments; descriptions come from the case file's schema."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.lines: list[str] = []

    def comment(self, text: str, indent: int = 0) -> None:
        pad = " " * indent
        self.lines += textwrap.wrap(
            text,
            WIDTH,
            initial_indent=pad + "# ",
            subsequent_indent=pad + "# ",
            break_on_hyphens=False,
            break_long_words=False,
        )

    def field(self, path: str, yaml: str, note: str = "", indent: int = 0) -> None:
        """A field under its description (and the journal's `note`)."""
        self.comment(" ".join(p for p in (description(self.schema, path), note) if p), indent)
        self.lines += [" " * indent + line for line in yaml.splitlines()]

    def blank(self) -> None:
        self.lines.append("")


def case_yaml(profile: Journal, article: str, schema: dict[str, Any]) -> str:
    """The text of a new case file for `profile`'s `article`."""
    rules, limits = profile.article(article), profile.limits_for(article)
    out = _Writer(schema)
    out.lines += [f"# yaml-language-server: $schema={SCHEMA_FILE}"]
    out.comment(
        f"A new {article.replace('-', ' ')} for {profile.name}, made by `casereport new`. "
        "Replace every TODO (`casereport validate` lists those left, as warnings); delete "
        "what you do not need. The journal's rules: `casereport journals "
        f"{profile.id}`; every field: the README, 'The case file'. Your editor completes and "
        f"checks the fields from {SCHEMA_FILE} (VS Code: the YAML extension, by Red Hat)."
    )
    if limits.describe():
        kind = article.replace("-", " ")
        out.comment(f"Limits of {profile.name} for a {kind}: {limits.describe()}.")
    out.blank()
    out.field("journal", f"journal: {profile.id}")
    out.field("article", f"article: {article}")
    _front(out, rules, limits, article)
    _people(out)
    _text(out, rules, limits, article)
    _declarations(out, profile, rules)
    _figures(out, article)
    out.blank()
    out.field("bibliography", f"bibliography: {BIBLIOGRAPHY}", f"The example: {BIBLIOGRAPHY}.")
    _optional(out)
    return "\n".join(out.lines) + "\n"


def _front(out: _Writer, rules: ArticleRules, limits: Limits, article: str) -> None:
    out.blank()
    wanted = f" ({', '.join(limits.title_required)})" if limits.title_required else ""
    out.field("title", f'title: "TODO: what the case shows{wanted}"', _title_note(limits))
    if TEXT_SHAPE[article] == "sections":
        out.field("running_title", 'running_title: "TODO: a short title"')
    _abstract(out, rules)
    _keywords(out, rules)


def _abstract(out: _Writer, rules: ArticleRules) -> None:
    shape = rules.abstract
    asks = [f"at most {shape.words} words" if shape.words else ""]
    asks.append("required" if shape.required else "optional")
    if shape.shape == "plain":
        note = f"This journal: one text without parts, {', '.join(a for a in asks if a)}."
        out.field("abstract", "abstract: |\n  TODO: the abstract, in one text.", note)
    elif shape.shape == "structured":
        asks.insert(0, f"the parts {', '.join(shape.parts)}")
        note = f"This journal: {', '.join(a for a in asks if a)}."
        parts = "\n".join(f"  {p.lower()}: TODO" for p in shape.parts)
        out.field("abstract", f"abstract:\n{parts}", note)


def _keywords(out: _Writer, rules: ArticleRules) -> None:
    wanted = rules.keywords
    if not (wanted.min or wanted.max or wanted.require):
        return
    count = max(wanted.min, 3, len(wanted.require))
    if wanted.max is not None:
        count = min(count, wanted.max)
    given = [*wanted.require, *(f'"TODO: keyword {n}"' for n in range(1, count + 1))][:count]
    asks = [
        f"at least {wanted.min}" if wanted.min else "",
        f"at most {wanted.max}" if wanted.max else "",
    ]
    note = ", ".join(a for a in asks if a)
    if wanted.require:
        note += f"{', ' if note else ''}with {', '.join(wanted.require)}"
    out.field(
        "keywords", f"keywords: [{', '.join(given)}]", f"This journal: {note}." if note else ""
    )


def _title_note(limits: Limits) -> str:
    quoted = [f'"{p}"' for p in limits.title_forbidden]
    notes = [f"Not in it: {', '.join(quoted)}." if quoted else ""]
    quoted = [f'"{p}"' for p in limits.title_required]
    notes.append(f"In it: {', '.join(quoted)}." if quoted else "")
    return " ".join(n for n in notes if n)


def _people(out: _Writer) -> None:
    out.blank()
    out.field("authors", "authors:")
    out.comment(description(out.schema, "authors.name"), indent=2)
    out.lines.append(f'  - name: "{_AUTHORS[0]}"')
    out.field("authors.degrees", "degrees: [MD]", indent=4)
    out.field("authors.affiliations", "affiliations: [department]", indent=4)
    out.field("authors.orcid", "# orcid: 0000-0000-0000-0000", indent=4)
    out.lines += [f'  - name: "{_AUTHORS[1]}"', "    degrees: [MD, PhD]"]
    out.lines += ["    affiliations: [department]"]
    out.field("authors.corresponding", "corresponding: true", indent=4)
    out.field("authors.email", f"email: {_EMAIL}", indent=4)
    affiliation = '  department: "TODO: Department, Hospital, City, Country"'
    out.field("affiliations", f"affiliations:\n{affiliation}")
    out.field("correspondence", "correspondence:")
    out.field("correspondence.name", 'name: "TODO: the full name"', indent=2)
    address = '  - "TODO: Department, Hospital"\n  - "TODO: Street, postcode, city, country"'
    out.field("correspondence.address", f"address:\n{address}", indent=2)
    out.field("correspondence.email", f"email: {_EMAIL}", indent=2)


_AUTHORS = ("TODO: A. Author", "TODO: B. Author")
_EMAIL = "TODO@example.org"


def _text(out: _Writer, rules: ArticleRules, limits: Limits, article: str) -> None:
    out.blank()
    cite = f"[@{CITED}]"
    if TEXT_SHAPE[article] == "body":
        body = (
            f"  TODO: why the case matters {cite}.\n\n"
            f"  TODO: what happened, as the figure shows ([@fig:{FIGURE}]).\n\n"
            "  TODO: what a reader should take away."
        )
        out.field("body", f"body: |\n{body}", "Cite references as [@key], from references.bib.")
        return
    out.field(
        "sections",
        "sections:",
        "In the journal's order, under its headings; a section it does not name is "
        + ("printed as written." if rules.other_sections else "refused by this journal."),
    )
    sections = rules.sections or _DEFAULT_SECTIONS
    figure = next((r.id for r in sections if r.id == "case-presentation"), sections[0].id)
    for rule in sections:
        _section(
            out, rule, limits, article, cited=rule.id == sections[0].id, figure=rule.id == figure
        )


_DEFAULT_SECTIONS = (
    SectionRule("introduction", "Introduction", True),
    SectionRule("case-presentation", "Case presentation", True),
    SectionRule("discussion", "Discussion", True),
)


def _section(
    out: _Writer, rule: SectionRule, limits: Limits, article: str, *, cited: bool, figure: bool
) -> None:
    name = rule.id.replace("-", " ").replace("follow up", "follow-up")
    need = "required" if rule.required else "optional: delete it if you do not need it"
    out.comment(f"{rule.heading} ({need}).", indent=2)
    text = f"TODO: the {rule.heading.lower()}"
    text += f" [@{CITED}]" if cited else ""
    text += f" ([@fig:{FIGURE}])" if figure else ""
    if rule.id == "learning-points":
        low, high = limits.learning_points
        count = min(max(low, 3), high) if high is not None else max(low, 3)
        out.lines.append(f"  {name}:")
        out.lines += [f'    - "TODO: learning point {n}"' for n in range(1, count + 1)]
    elif rule.id == "case-presentation" and article == "case-series":
        out.comment("One part per patient.", indent=2)
        out.lines += [
            f"  {name}:",
            f"    patient 1: |\n      {text}.",
            "    patient 2: |",
            "      TODO",
        ]
    else:
        if rule.id == "case-presentation":
            out.comment(
                "Or in CARE's parts: patient information: …, clinical findings: …, timeline: "
                "…, diagnostic assessment: …, therapeutic intervention: …, follow-up and "
                "outcomes: …",
                indent=2,
            )
        out.lines += [f"  {name}: |", f"    {text}."]


_STATEMENTS = {
    "competing-interests": "TODO: None declared, or each author's competing interests.",
    "funding": "TODO: None, or who funded the work (with grant numbers).",
    "ethics": "TODO: the approval, or why none was needed for a case report.",
    "acknowledgements": "TODO: who helped without being an author.",
    "data-availability": "TODO: where the data can be found, or that all are in the article.",
    "consent": "TODO: written (the journal's sentence, above), or your own statement.",
}


def _declarations(out: _Writer, profile: Journal, rules: ArticleRules) -> None:
    out.blank()
    printed = dict(rules.declarations)
    out.comment(
        f"The statements {profile.name} prints after the text, in this order: "
        f"{', '.join(printed.values())}."
    )
    kinds = [*printed, *(() if "competing-interests" in printed else ("competing-interests",))]
    for kind in kinds:
        field = declaration_field(kind)
        note = f'Printed as "{printed[kind]}".' if kind in printed else ""
        note += " Required." if kind in rules.required_declarations else ""
        if kind == "consent" and rules.consent:
            note += f' `written` prints: "{rules.consent}"'
        out.field(field, _statement(kind, field), note.strip())


def _statement(kind: str, field: str) -> str:
    if kind == "abbreviations":
        return "# abbreviations:\n#   SLE: systemic lupus erythematosus"
    if kind == "contributions":
        roles = (
            "[Conceptualization, Writing – original draft]",
            "[Supervision, Writing – review & editing]",
        )
        return "contributions:\n" + "\n".join(
            f'  "{name}": {role}' for name, role in zip(_AUTHORS, roles, strict=True)
        )
    return f'{field}: "{_STATEMENTS.get(kind, "TODO")}"'


def _figures(out: _Writer, article: str) -> None:
    out.blank()
    one = " A clinical image has one." if article == "clinical-image" else ""
    out.field("figures", "figures:", f"The text cites the example as [@fig:{FIGURE}].{one}")
    out.comment(description(out.schema, "figures.id"), indent=2)
    out.lines.append(f"  - id: {FIGURE}")
    out.field("figures.title", 'title: "TODO: what the figure shows."', indent=4)
    out.field("figures.layout", "# layout: {rows: 1, columns: 2}", indent=4)
    out.field("figures.width", "# width: single", indent=4)
    out.field("figures.panels", "panels:", indent=4)
    out.comment(description(out.schema, "figures.panels.image") + " Replace the placeholder.", 6)
    out.lines.append(f"      - image: {IMAGE}")
    out.field("figures.panels.description", 'description: "TODO: what it shows"', indent=8)
    out.field("figures.panels.timepoint", "# timepoint: before treatment", indent=8)


# Fields a case may have whatever its journal: written commented out, to be filled in or left.
_OPTIONAL = (
    ("patient", "# patient: {age: 60, sex: female, diagnosis: systemic lupus erythematosus}"),
    ("scores", "# scores:\n#   - {at: baseline, SLEDAI-2K: 9}\n#   - {at: month 6, SLEDAI-2K: 2}"),
    (
        "treatments",
        "# treatments:\n#   - {drug: anifrolumab, dose: 300 mg iv every 4 weeks, start: baseline}",
    ),
    ("labs", "# labs:\n#   - {name: C-reactive protein, value: 86, unit: mg/L, range: <5}"),
    ("timeline", "# timeline:\n#   - {when: 2019, event: Diagnosis of systemic lupus}"),
    ("tables", "# tables:\n#   - {id: labs, title: Laboratory values, shows: labs}"),
    (
        "references",
        "# references:\n#   - {id: smith2020, type: article-journal, title: A title,\n"
        "#      author: [{family: Smith, given: J.}], container-title: A journal,\n"
        "#      issued: {date-parts: [[2020]]}}",
    ),
    ("style", "# style: nlm-citation-sequence"),
    (
        "journals",
        "# journals:\n#   bmj-case-reports:\n#     title: Another title for BMJ Case Reports",
    ),
)


def _optional(out: _Writer) -> None:
    out.blank()
    out.comment("More, if the case has it (remove the # of the lines you use):")
    for path, yaml in _OPTIONAL:
        out.blank()
        out.field(path, yaml)
