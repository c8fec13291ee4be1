"""The example cases' outputs equal their golden copies in tests/golden/ (see tests/golden.py;
`make goldens` rewrites them after an intended change, to be reviewed as a diff)."""

from __future__ import annotations

import pytest

from tests.golden import CASES, FILES, GOLDEN, outputs


@pytest.mark.parametrize("case", CASES)
def test_outputs_equal_the_golden_copies(case: str) -> None:
    made = outputs(case)
    assert sorted(made) == sorted(FILES)
    missing = [name for name in FILES if not (GOLDEN / case / name).exists()]
    for name in missing:
        (GOLDEN / case).mkdir(parents=True, exist_ok=True)
        (GOLDEN / case / name).write_text(made[name], encoding="utf-8")
    assert not missing, f"wrote {missing} in {GOLDEN / case}: read them, then commit them"
    for name in FILES:
        expected = (GOLDEN / case / name).read_text(encoding="utf-8")
        assert made[name] == expected, f"{case}/{name} differs: run `make goldens`, review the diff"
