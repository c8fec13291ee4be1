"""The case models' validators, kept in the build cache so that a new process need not build them.

Pydantic builds a model's validator from its annotations: for the case's twenty models that
took longer than loading and checking a case file, and its first validator makes pydantic
import `importlib.metadata` and scan every installed package for plugins. The models are
declared with `defer_build=True`; `prepare_models()` (called before the first validation)
installs the validators and serializers an earlier process built from the same models,
read from `<cache>/schema/` under a key of the casereport, pydantic and pydantic-core
versions and the model modules' source. Without such an entry (or with one that cannot be
read) pydantic builds them as it always does, and they are stored for the next process.
Either way the validators are pydantic's own, built from the same core schema.

The entry is a pickle, which runs code when read: like the compiled templates, it lives
only in the user's cache folder, which is as trusted as their Python installation
(`casereport.cache`), never in a build or case folder.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core
from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaSerializer, SchemaValidator

from casereport import __version__, model, model_clinical, model_fields, model_figures
from casereport.limits import CeilingHit

# Every model class of the case, the parts first.
MODELS: tuple[type[BaseModel], ...] = (
    model_figures.Layout,
    model_figures.Span,
    model_figures.Arrow,
    model_figures.Circle,
    model_figures.Panel,
    model_figures.Chart,
    model_figures.Figure,
    model_clinical.DoseStep,
    model_clinical.Treatment,
    model_clinical.Scores,
    model_clinical.Lab,
    model_clinical.Event,
    model_clinical.Table,
    model.Author,
    model.Correspondence,
    model.Patient,
    model.Reference,
    model.JournalOverride,
    model.Case,
)
FOLDER = "schema"
_SOURCES = (model_fields, model_clinical, model_figures, model)

_prepared = False


def prepare_models(cache: Path | None = None) -> None:
    """Make every case model ready to validate, from the cache in `cache` (default: the
    user's build cache) when it holds them; once per process."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    if all(cls.__pydantic_complete__ for cls in MODELS):
        return
    try:
        path = _entry(cache)
    except OSError:  # no cache folder (a read-only home): build as pydantic does
        _build()
        return
    if not _install(path):
        _build()
        _store(path)


def _entry(cache: Path | None) -> Path:
    from casereport.cache import cache_root

    digest = hashlib.sha256()
    for part in (__version__, pydantic.VERSION, pydantic_core.__version__, sys.version):
        digest.update(part.encode() + b"\0")
    for module in _SOURCES:
        digest.update(Path(str(module.__file__)).read_bytes() + b"\0")
    return (cache or cache_root()) / FOLDER / f"{digest.hexdigest()}.pickle"


def _build() -> None:
    for cls in MODELS:
        cls.model_rebuild()


def _install(path: Path) -> bool:
    """Install the validators kept at `path`; False when there are none to install."""
    try:
        kept = pickle.loads(path.read_bytes())
        built = list(zip(MODELS, kept, strict=True))
        if not all(
            isinstance(validator, SchemaValidator) and isinstance(serializer, SchemaSerializer)
            for _, (_, validator, serializer) in built
        ):
            return False
    except (CeilingHit, MemoryError):  # a ceiling hit meanwhile (`limits`)
        raise
    except Exception:  # absent, unreadable, or made from other models: build them anew
        return False
    for cls, (schema, validator, serializer) in built:
        if cls.__pydantic_complete__:
            continue  # built already (a model used before `prepare_models`)
        cls.__pydantic_core_schema__ = schema
        cls.__pydantic_validator__ = validator
        cls.__pydantic_serializer__ = serializer
        cls.__pydantic_complete__ = True
    return True


def _store(path: Path) -> None:
    """Keep the models' core schemas for the next process (quietly not, if that fails)."""
    from casereport.export.files import write_bytes_atomic

    models = [
        (cls.__pydantic_core_schema__, cls.__pydantic_validator__, cls.__pydantic_serializer__)
        for cls in MODELS
    ]
    if not all(isinstance(validator, SchemaValidator) for _, validator, _ in models):
        return  # pydantic plugins wrap the validators: let pydantic build them every time
    buffer = io.BytesIO()
    try:
        _Pickler(buffer).dump(models)
        write_bytes_atomic(path, buffer.getvalue())
    except (CeilingHit, MemoryError):  # a ceiling hit meanwhile (`limits`)
        raise
    except Exception:  # a schema that pickle cannot name, or a full disk: no entry
        pass


class _Pickler(pickle.Pickler):
    """Pickles a core schema: functions by name, and pydantic's one closure (a wrapper
    that rewords type errors of a constraint it cannot put inside the type) as
    `ReworderOfTypeErrors`, which does the same."""

    def reducer_override(self, obj: Any) -> Any:
        code = getattr(obj, "__code__", None)
        if (
            code is not None
            and getattr(obj, "__closure__", None)
            and obj.__qualname__.endswith("._apply_constraint_with_incompatibility_info")
        ):
            cells = dict(zip(code.co_freevars, obj.__closure__, strict=True))
            if set(cells) != {"constraint", "schema_type"}:
                raise pickle.PicklingError("pydantic's constraint wrapper changed")
            args = (cells["constraint"].cell_contents, cells["schema_type"].cell_contents)
            return ReworderOfTypeErrors, args
        return NotImplemented


class ReworderOfTypeErrors:
    """pydantic's `_apply_constraint_with_incompatibility_info` (in
    `_known_annotated_metadata.apply_known_metadata`), as a class that pickle can name."""

    def __init__(self, constraint: str, schema_type: str) -> None:
        self.constraint = constraint
        self.schema_type = schema_type

    def __call__(self, value: Any, handler: Any) -> Any:
        try:
            x = handler(value)
        except ValidationError as ve:
            if "type" in ve.errors()[0]["type"]:
                raise TypeError(  # noqa: B904  (as pydantic raises it)
                    f"Unable to apply constraint '{self.constraint}' to supplied value {value} "
                    f"for schema of type '{self.schema_type}'"
                )
            raise ve
        return x
