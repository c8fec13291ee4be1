"""Plain data → Case, or every diagnostic at once, each with its line, column and field."""

from __future__ import annotations

import difflib
import errno
import os
import stat
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from casereport.errors import CaseError, Diagnostic, PathKey, Problem
from casereport.inputs import (
    MAX_BIBLIOGRAPHY_BYTES,
    MAX_IMAGE_BYTES,
    MAX_LOCK_BYTES,
    InputRefused,
    case_input,
    file_problem,
    read_input,
)
from casereport.load import Source
from casereport.memo import digest, stamps
from casereport.model import Case, Reference
from casereport.model_cache import prepare_models
from casereport.model_fields import is_shape_tag
from casereport.positions import locate
from casereport.references.identifiers import LOCK_FILE
from casereport.structure import text_shape


def validate_case(source: Source, *, cache_dir: Path | None = None) -> Case:
    """Check the data against the case model and the files it names; raise CaseError if any fail.

    The checks of files and cross-references read the plain data, so they run (and report)
    even when the schema check fails elsewhere in the file.
    """
    prepare_models()
    file_refs, problems = _bibliography(source, cache_dir)
    problems += _cross_checks(source)
    try:
        case = Case.model_validate(source.data)
    except ValidationError as exc:
        problems += [_from_pydantic(error) for error in _meaningful(exc.errors())]
    if not problems:
        from casereport.crosscheck import check_case_parts  # it builds on this module

        problems += check_case_parts(case, source.path.parent)
    if problems:
        raise CaseError(_sorted(locate(source, problems)))
    return _with_files(source, case, file_refs)


def _sorted(problems: Iterable[Diagnostic]) -> list[Diagnostic]:
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


def _from_pydantic(error: ErrorDetails) -> Problem:
    loc = tuple(part for part in error["loc"] if not is_shape_tag(part))
    kind = error["type"]
    if kind == "extra_forbidden":
        return Problem(loc, _unknown_field(loc), key=True)
    if kind == "missing":
        return Problem(loc, "required field is missing")
    if kind == "value_error":
        return Problem(loc, error["msg"].removeprefix("Value error, "))
    if kind == "too_short":
        least = (error.get("ctx") or {}).get("min_length", 1)
        return Problem(loc, f"needs at least {least} item{'s' * (least != 1)}, got none")
    if kind == "too_long":
        context = error.get("ctx") or {}
        count, limit = context.get("actual_length"), context.get("max_length")
        counted = f"{count:,} items" if isinstance(count, int) else "too many items"
        return Problem(loc, f"{counted}; the limit is {limit:,}")
    if kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        message = f"{len(error['input']):,} characters; the limit is {limit:,}"
        return Problem(loc, message)
    expected = _EXPECTED.get(kind)
    if expected is None:
        message = error["msg"][:1].lower() + error["msg"][1:]
    else:
        message = f"expected {expected}"
    return Problem(loc, f"{message}, got {_shown(error['input'])}")


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
}


def _shown(value: Any) -> str:
    """How a bad input is quoted in a message: short, and named by kind when not a value."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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


def _cross_checks(source: Source) -> list[Problem]:
    data = source.data
    figures = _items(data.get("figures"))
    references = _items(data.get("references"))
    return [
        *_check_affiliations(data),
        *_check_unique(source, "figures", [f.get("id") for f in figures], "figure id"),
        *_check_unique(source, "references", [r.get("id") for r in references], "reference id"),
        *_check_images(source.path.parent, figures),
        *text_shape(data),
    ]


def _items(value: object) -> list[dict[str, Any]]:
    """The mappings in a list field, as written (anything else is the schema's to report)."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else {} for item in value]


def _check_affiliations(data: Mapping[str, Any]) -> Iterator[Problem]:
    known = data.get("affiliations")
    known = known if isinstance(known, dict) else {}
    for i, author in enumerate(_items(data.get("authors"))):
        ids = author.get("affiliations")
        for j, affiliation in enumerate(ids if isinstance(ids, list) else []):
            if isinstance(affiliation, str) and affiliation not in known:
                names = ", ".join(known) or "none defined"
                message = f"no affiliation {affiliation!r} in affiliations ({names})"
                yield Problem(("authors", i, "affiliations", j), message)


def _check_unique(source: Source, key: str, ids: list[Any], what: str) -> Iterator[Problem]:
    """Each id written a second time (its message names the line of the first)."""
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if not isinstance(ident, str):
            continue
        if ident in seen:
            first = source.position((key, seen[ident], "id"))
            where = f" (first at line {first[0]})" if first else ""
            yield Problem((key, i, "id"), f"duplicate {what} {ident!r}{where}")
        seen.setdefault(ident, i)


def _check_images(folder: Path, figures: list[dict[str, Any]]) -> Iterator[Problem]:
    for i, figure in enumerate(figures):
        for j, panel in enumerate(_items(figure.get("panels"))):
            image = panel.get("image")
            if not isinstance(image, str):
                continue
            path = ("figures", i, "panels", j, "image")
            problem = file_problem(folder, image) or sniff_image(folder / image)
            if problem:
                name = figure.get("id")
                where = f"figure {name!r}, " if isinstance(name, str) else ""
                yield Problem(path, f"{where}panel {_letter(j)}: {problem}")


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


# What a file's first bytes say it is; extensions say what its name claims.
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"%!PS", "PostScript"),
    (b"\xc5\xd0\xd3\xc6", "PostScript"),
    (b"BM", "BMP"),
    (b"<?xml", "XML or SVG"),
    (b"<svg", "SVG"),
)
_EXTENSIONS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".webp": "WebP",
}
_ALLOWED = "JPEG, PNG, TIFF or WebP"


def sniff_image(path: Path) -> str | None:
    """Why the file at `path` is not the bitmap its name says, or None if it looks right."""
    try:
        head = _head(path)
    except OSError as exc:
        return f"cannot read {path.name!r}: {exc.strerror}"
    if not head:
        return f"{path.name!r} is empty (0 bytes)"
    kind = next((name for magic, name in _SIGNATURES if head.startswith(magic)), None)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "WebP"
    claimed = _EXTENSIONS.get(path.suffix.lower())
    if claimed is None:
        return f"{path.name!r} is not a {_ALLOWED} file (.jpg, .png, .tif, .webp)"
    if kind is None:
        return f"{path.name!r} is not a {claimed} image (unrecognised content)"
    if kind != claimed:
        return f"{path.name!r} is named as {claimed} but holds {kind}; images must be {_ALLOWED}"
    return None


def _head(path: Path) -> bytes:
    """The first bytes of a regular file, opened without blocking (so a FIFO put in place
    of a checked file cannot hang validation)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return file.read(16)


def _bibliography(
    source: Source, cache_dir: Path | None
) -> tuple[list[list[Reference]], list[Problem]]:
    """Read every file named by `bibliography:` (CSL-JSON, BibTeX or RIS)."""
    from casereport.references.bibliography import bibliography_names, read_file

    files: list[list[Reference]] = []
    problems: list[Problem] = []
    for name, path in bibliography_names(source.data):
        problem = file_problem(
            source.path.parent, name, "bibliographies", max_bytes=MAX_BIBLIOGRAPHY_BYTES
        )
        if problem:
            problems.append(Problem(path, problem))
            continue
        refs, found = read_file(source.path.parent / name, cache_dir)
        files.append(refs)
        problems += found
    return files, problems


def _with_files(source: Source, case: Case, files: list[list[Reference]]) -> Case:
    """The case with the file references merged under the inline ones (same id: inline wins)."""
    from casereport.references.bibliography import merge

    inline = [
        ref.located(str(source.path), *(source.position(("references", i, "id")) or (None, None)))
        for i, ref in enumerate(case.references)
    ]
    merged, duplicates = merge(inline, files)
    if duplicates:
        raise CaseError(_sorted(locate(source, duplicates)))
    return case.model_copy(update={"references": merged})


def validation_key(source: Source) -> tuple[object, ...]:
    """What `validate_case` reads besides the case file, as the key of its kept result: the
    images named (their file stamps), the bibliography files and the lock file of looked-up
    references (their bytes), each checked by `inputs.case_input` before it is looked at
    (a refused one by its refusal)."""
    folder = source.path.parent
    figures = source.data.get("figures")
    images = [
        panel.get("image")
        for figure in (figures if isinstance(figures, list) else [])
        if isinstance(figure, dict) and isinstance(figure.get("panels"), list)
        for panel in figure["panels"]
        if isinstance(panel, dict)
    ]
    named = [_input_stamp(folder, name) for name in images if isinstance(name, str)]
    bibliography = source.data.get("bibliography")
    files = [bibliography] if isinstance(bibliography, str) else bibliography
    names = [n for n in files if isinstance(n, str)] if isinstance(files, list) else []
    texts = tuple(_input_digest(folder, name, MAX_BIBLIOGRAPHY_BYTES) for name in names)
    return tuple(named), tuple(names), texts, _input_digest(folder, LOCK_FILE, MAX_LOCK_BYTES)


def _input_stamp(folder: Path, name: str) -> object:
    try:
        return stamps([case_input(folder, name, max_bytes=MAX_IMAGE_BYTES)])
    except InputRefused as exc:
        return str(exc)


def _input_digest(folder: Path, name: str, max_bytes: int) -> str | None:
    try:
        return digest(read_input(folder, name, max_bytes=max_bytes))
    except InputRefused as exc:
        return str(exc)
    except OSError:
        return None
