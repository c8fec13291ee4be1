"""The face check: OpenCV's Haar cascades find a drawn face and no face in the example
cases' panels (skin, slides, scans, and the DRESS case's faces cropped below the eyes);
without OpenCV the lint notes once that faces were not checked, and fails nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PIL import Image

from casereport.privacy.faces import ADVICE, NOT_INSTALLED, face_problems, has_face
from tests.conftest import ROOT
from tests.privacy.drawn import draw_face

pytest.importorskip("cv2", reason="the faces extra is not installed")

PANELS = sorted(p for p in (ROOT / "cases").glob("*/*") if p.suffix in {".jpg", ".png"})


@pytest.mark.parametrize("size", [200, 400, 800])
def test_a_drawn_face_is_found(tmp_path: Path, size: int) -> None:
    assert has_face(draw_face(tmp_path / "face.jpg", size)) is True


def test_a_face_in_a_larger_photograph_is_found(tmp_path: Path) -> None:
    face = Image.open(draw_face(tmp_path / "face.png", 300))
    scene = Image.new("RGB", (1200, 900), (120, 130, 140))
    scene.paste(face, (500, 200))
    scene.save(tmp_path / "scene.jpg")
    assert has_face(tmp_path / "scene.jpg") is True


@pytest.mark.parametrize("panel", PANELS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_face_in_the_example_panels(panel: Path) -> None:
    """Skin, slides and scans; the DRESS case's face panels show the lower half of a face,
    cropped below the eyes, and the cascades (which look for eyes) do not find it."""
    assert has_face(panel) is False


def test_a_plain_image_and_a_file_that_is_no_image(tmp_path: Path) -> None:
    Image.new("RGB", (640, 480), "white").save(tmp_path / "white.jpg")
    (tmp_path / "broken.jpg").write_bytes(b"not an image")
    assert has_face(tmp_path / "white.jpg") is has_face(tmp_path / "broken.jpg") is False


def test_a_warning_at_each_panel_with_a_face(tmp_path: Path) -> None:
    face = draw_face(tmp_path / "face.jpg")
    Image.new("RGB", (640, 480), "white").save(tmp_path / "white.jpg")
    at = ("figures", 0, "panels")
    problems, notes = face_problems([((*at, 0), tmp_path / "white.jpg"), ((*at, 1), face)])
    assert [(p.path, p.message, p.severity) for p in problems] == [((*at, 1), ADVICE, "warning")]
    assert notes == ()
    assert "eye bars do not anonymise" in ADVICE and "consent" in ADVICE


def test_without_opencv_one_note_and_no_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cv2", None)  # `import cv2` raises ImportError
    face = draw_face(tmp_path / "face.jpg")
    panels = [(("figures", 0, "panels", i), face) for i in range(3)]
    assert face_problems(panels) == ([], (NOT_INSTALLED,))
    assert has_face(face) is None
    assert face_problems([]) == ([], ())  # no panel: nothing to say
