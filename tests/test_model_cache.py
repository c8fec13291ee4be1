"""The case models' validators kept in the build cache validate exactly as freshly built ones.

A process that finds them (`model_cache.prepare_models`) installs pydantic-core validators
and serializers unpickled from the cache instead of having pydantic build them; the
results — every dump, every error with its type, location, message and context — must be
those of a process that built them, and a missing or damaged entry is built anew.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from casereport import model_cache
from casereport.limits import CeilingHit
from tests.conftest import DEMO, EXAMPLE, ROOT

PROBE = """
import copy, json, random, sys
from pathlib import Path
from casereport.load import load_case_file
from casereport.model import Case
from casereport.model_cache import prepare_models

prepare_models()
bases = [load_case_file(Path(p)).data for p in sys.argv[1:]]
values = [None, "", "  ", 0, -1, 2.5, True, "2005", 2005, [], {}, [1], ["a"], {"a": 1},
          "month 6", "1:640", "x" * 300, [None, 5], [5, 1], "150-400", "nope"]
rng = random.Random(1)

def mutated(data):
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        parent, key = None, None
        node = data
        while isinstance(node, (dict, list)) and node and rng.random() < 0.8:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, rng.choice(keys)
            node = node[key]
        if parent is not None:
            parent[key] = copy.deepcopy(rng.choice(values))
    return data

results = []
for n in range(300):
    data = bases[n % len(bases)] if n < len(bases) else mutated(rng.choice(bases))
    try:
        case = Case.model_validate(data)
        results.append(["ok", case.model_dump_json(), [f.model_dump_json() for f in case.figures]])
    except Exception as exc:
        errors = exc.errors() if hasattr(exc, "errors") else str(exc)
        results.append(["error", type(exc).__name__, json.loads(json.dumps(errors, default=repr))])
print(json.dumps({"results": results, "built": "importlib.metadata" in sys.modules}))
"""


def _probe(cache: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(DEMO / "case.yaml"), str(EXAMPLE / "case.yaml")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CASEREPORT_CACHE_DIR": str(cache)},
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_kept_validators_validate_as_freshly_built_ones(tmp_path: Path) -> None:
    built = _probe(tmp_path / "cache")  # an empty cache: pydantic builds them, they are kept
    assert built["built"]
    assert len(list((tmp_path / "cache" / model_cache.FOLDER).glob("*.pickle"))) == 1
    kept = _probe(tmp_path / "cache")
    assert not kept["built"]  # no schema built: no plugin scan, no importlib.metadata
    assert kept["results"] == built["results"]
    kinds = {r[0] for r in built["results"]}
    assert kinds == {"ok", "error"}


def test_a_damaged_entry_is_built_anew(tmp_path: Path) -> None:
    built = _probe(tmp_path / "cache")
    (entry,) = (tmp_path / "cache" / model_cache.FOLDER).glob("*.pickle")
    damaged = b"\x80\x04not a pickle of validators"
    entry.write_bytes(damaged)
    again = _probe(tmp_path / "cache")
    assert again["built"] and again["results"] == built["results"]
    assert entry.read_bytes() != damaged  # written again
    assert not _probe(tmp_path / "cache")["built"]


class _Stopped:
    """A cache entry whose reading is interrupted by the build's time ceiling."""

    def read_bytes(self) -> bytes:
        raise CeilingHit.time(1)


def test_a_ceiling_hit_while_reading_the_entry_stops_the_build() -> None:
    with pytest.raises(CeilingHit):
        model_cache._install(_Stopped())  # type: ignore[arg-type]


def test_every_model_is_kept() -> None:
    """A model added to the case and not to `MODELS` would be built by pydantic, in every
    process, whenever it is used on its own."""
    from pydantic import BaseModel

    from casereport import model, model_clinical, model_figures

    defined = {
        value
        for module in (model, model_clinical, model_figures)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    }
    assert defined == set(model_cache.MODELS)
