"""Files a case names are checked before they are read: `casereport.inputs`."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import load_case
from casereport.errors import CaseError, UsageError
from casereport.inputs import InputRefused, case_input, read_checked, read_input
from casereport.load import load_case_file


def test_a_fifo_bibliography_is_refused_without_waiting(make_case: Callable[..., Path]) -> None:
    case = make_case()
    os.mkfifo(case.parent / "references.json")
    case.write_text(case.read_text() + "bibliography: references.json\n")
    started = time.perf_counter()
    with pytest.raises(CaseError) as caught:
        load_case(case)
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{case}:39:15: error: bibliography: 'references.json' is not a regular file "
        "(a FIFO, socket or device)"
    ]
    assert time.perf_counter() - started < 1.0


def test_a_fifo_case_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "case.yaml")
    with pytest.raises(UsageError, match=r"no case\.yaml here"):
        load_case(tmp_path / "case.yaml")
    with pytest.raises(CaseError, match="not a regular file"):
        load_case_file(tmp_path / "case.yaml")


def test_checks_in_order(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_bytes(b"[]" * 600)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to("/etc/hostname")
    refusals = {
        "a\0b": "contains a NUL character",
        "https://x/y.json": "is a URL",
        "/etc/passwd": "is outside the case folder",
        "../x.json": "is outside the case folder",
        "missing.json": "not found",
        "link.json": "leads outside the case folder",
        "sub": "is not a file",
        "big.json": "'big.json' is 1,200 bytes; the limit is 1,000",
    }
    for name, message in refusals.items():
        with pytest.raises(InputRefused, match=message):
            case_input(tmp_path, name, max_bytes=1000)
    assert read_input(tmp_path, "big.json", max_bytes=2000) == b"[]" * 600


def test_a_file_swapped_for_a_fifo_after_the_check_is_refused_once_open(tmp_path: Path) -> None:
    (tmp_path / "refs.json").write_text("[]")
    checked = case_input(tmp_path, "refs.json", max_bytes=100)
    checked.unlink()
    os.mkfifo(checked)
    with pytest.raises(InputRefused, match="not a regular file"):
        read_checked(checked, "refs.json", 100)
