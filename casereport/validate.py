"""Plain data → Case, or every diagnostic at once, each with its line, column and field."""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from casereport.errors import CaseError, Diagnostic
from casereport.load import PathKey, Source
from casereport.model import Case, Reference


def field_path(path: PathKey) -> str:
    """`('figures', 0, 'panels', 1, 'image')` → `figures[0].panels[1].image`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def diagnostic(source: Source, path: PathKey, message: str, *, key: bool = False) -> Diagnostic:
    """A diagnostic for the node at `path` in `source`."""
    line, col = source.position(path, key=key) or (None, None)
    return Diagnostic(str(source.path), line, col, field_path(path), message)


def validate_case(source: Source) -> Case:
    """Check the data against the case model and the files it names; raise CaseError if any fail.

    The checks of files and cross-references read the plain data, so they run (and report)
    even when the schema check fails elsewhere in the file.
    """
    file_refs, problems = _bibliography(source)
    problems += _cross_checks(source)
    try:
        case = Case.model_validate(source.data)
    except ValidationError as exc:
        problems += [_from_pydantic(source, error) for error in _meaningful(exc.errors())]
    if not problems:
        from casereport.crosscheck import check_case_parts  # it builds on this module

        problems += check_case_parts(source, case)
    if problems:
        raise CaseError(_sorted(problems))
    if file_refs:
        inline = {ref.id for ref in case.references}
        merged = case.references + tuple(r for r in file_refs if r.id not in inline)
        case = case.model_copy(update={"references": merged})
    return case


def _sorted(problems: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(problems, key=lambda d: (d.file, d.line or 0, d.col or 0))


def _meaningful(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "too short" errors of a list whose items have errors of their own (pydantic
    reports a list as empty once its only item fails)."""
    failing = [tuple(e["loc"]) for e in errors]
    return [
        e
        for e in errors
        if e["type"] != "too_short"
        or not any(
            len(loc) > len(e["loc"]) and loc[: len(e["loc"])] == tuple(e["loc"]) for loc in failing
        )
    ]


def _from_pydantic(source: Source, error: ErrorDetails) -> Diagnostic:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return diagnostic(source, loc, _unknown_field(loc), key=True)
    if kind == "missing":
        return diagnostic(source, loc, "required field is missing")
    message = error["msg"].removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if kind not in ("value_error",) and not isinstance(error["input"], dict | list):
        message += f", got {error['input']!r}"
    return diagnostic(source, loc, message)


def _unknown_field(loc: PathKey) -> str:
    name = str(loc[-1])
    message = f"unknown field {name!r}"
    model = _model_at(loc[:-1])
    if model is not None:
        close = difflib.get_close_matches(name, list(model.model_fields), n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
        else:
            message += f"; expected one of: {', '.join(model.model_fields)}"
    return message


def _model_at(loc: PathKey) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc`, following the Case's annotations."""
    current: Any = Case
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The model class inside `annotation`: itself, or in a tuple or an optional."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (tuple, types.UnionType, typing.Union):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _cross_checks(source: Source) -> list[Diagnostic]:
    data = source.data
    figures = _items(data.get("figures"))
    references = _items(data.get("references"))
    return [
        *_check_affiliations(source),
        *_check_unique(source, "figures", [f.get("id") for f in figures], "figure id"),
        *_check_unique(source, "references", [r.get("id") for r in references], "reference id"),
        *_check_images(source, figures),
    ]


def _items(value: object) -> list[dict[str, Any]]:
    """The mappings in a list field, as written (anything else is the schema's to report)."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else {} for item in value]


def _check_affiliations(source: Source) -> Iterator[Diagnostic]:
    known = source.data.get("affiliations")
    known = known if isinstance(known, dict) else {}
    for i, author in enumerate(_items(source.data.get("authors"))):
        ids = author.get("affiliations")
        for j, affiliation in enumerate(ids if isinstance(ids, list) else []):
            if isinstance(affiliation, str) and affiliation not in known:
                names = ", ".join(known) or "none defined"
                message = f"no affiliation {affiliation!r} in affiliations ({names})"
                yield diagnostic(source, ("authors", i, "affiliations", j), message)


def _check_unique(source: Source, key: str, ids: list[Any], what: str) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = source.position((key, seen[ident], "id"))
            where = f" (first at line {first[0]})" if first else ""
            yield diagnostic(source, (key, i, "id"), f"duplicate {what} {ident!r}{where}")
        seen.setdefault(ident, i)


def _check_images(source: Source, figures: list[dict[str, Any]]) -> Iterator[Diagnostic]:
    folder = source.path.parent
    for i, figure in enumerate(figures):
        for j, panel in enumerate(_items(figure.get("panels"))):
            image = panel.get("image")
            problem = image_problem(folder, image) if isinstance(image, str) else None
            if problem:
                yield diagnostic(source, ("figures", i, "panels", j, "image"), problem)


def image_problem(folder: Path, name: str) -> str | None:
    """Why `name` cannot be used as an image of the case in `folder`, or None if it can."""
    if "://" in name or name.startswith(("data:", "file:")):
        return f"{name!r} is a URL; images must be files in the case folder"
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return f"{name!r} is outside the case folder; give a path relative to it"
    path = folder / relative
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return f"file {name!r} not found"
    if not resolved.is_relative_to(folder.resolve()):
        return f"{name!r} leads outside the case folder (symbolic link)"
    if not resolved.is_file():
        return f"{name!r} is not a file"
    return None


def _bibliography(source: Source) -> tuple[tuple[Reference, ...], list[Diagnostic]]:
    """Read the CSL-JSON file named by `bibliography:`, if any."""
    name = source.data.get("bibliography")
    if not isinstance(name, str):
        return (), []
    problem = image_problem(source.path.parent, name)
    if problem:
        problem = problem.replace("images must", "bibliographies must")
        return (), [diagnostic(source, ("bibliography",), problem)]
    path = source.path.parent / name
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return (), [Diagnostic(str(path), None, None, "", f"cannot read: {exc}")]
    except json.JSONDecodeError as exc:
        return (), [Diagnostic(str(path), exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]
    if not isinstance(items, list):
        return (), [Diagnostic(str(path), 1, 1, "", "a CSL-JSON file must hold a list of items")]
    return _references_from_file(path, items)


def _references_from_file(
    path: Path, items: list[Any]
) -> tuple[tuple[Reference, ...], list[Diagnostic]]:
    refs: list[Reference] = []
    problems: list[Diagnostic] = []
    for i, item in enumerate(items):
        try:
            refs.append(Reference.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                where = field_path((i, *error["loc"]))
                problems.append(Diagnostic(str(path), None, None, where, error["msg"]))
    return tuple(refs), problems
