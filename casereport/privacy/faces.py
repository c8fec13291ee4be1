"""Faces in a panel's image, found with OpenCV's Haar cascades (the `faces` extra:
`pip install 'casereport[faces]'`, which brings `opencv-python-headless`, whose wheel ships
the cascades). Without OpenCV the lint says once that faces were not checked, and goes on.

A face found gets a warning at the panel: eye bars do not anonymise (ICMJE; an eye bar
lowered recognition only from 82 % to 69 %), and a recognisable image needs the patient's
consent for identifiable images. The detector is conservative (a face must span an eighth
of the image's shorter side and be seen by many neighbouring windows), so a panel of skin,
a slide or a scan is not taken for a face; a face cropped below the eyes is usually not
found, and the warning is a prompt to look, never a proof that an image is anonymous.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casereport.errors import PathKey, Problem
from casereport.privacy.files import with_image

if TYPE_CHECKING:
    from PIL.Image import Image

NOT_INSTALLED = "privacy: faces not checked: pip install 'casereport[faces]'"
CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
LONGEST_SIDE = 640  # images are scaled down to this before detection (speed)
MIN_NEIGHBOURS = 8
MIN_FRACTION = 8  # a face spans at least 1/8 of the shorter side
ADVICE = (
    "privacy (faces): a face may be recognisable in this panel; eye bars do not anonymise "
    "(cover eyes and eyebrows at least, or crop to the affected area), and a recognisable "
    "image needs the patient's written consent for identifiable images"
)


def face_problems(
    panels: Iterable[tuple[PathKey, Path]], folder: Path | None = None
) -> tuple[list[Problem], tuple[str, ...]]:
    """A warning at each panel (field path, image file of the case in `folder`) where a
    face is found; a note when faces cannot be checked."""
    panels = list(panels)
    if not panels:
        return [], ()
    detectors = _detectors()
    if detectors is None:
        return [], (NOT_INSTALLED,)
    found = [path for path, file in panels if _has_face(file, detectors, folder)]
    return [Problem(path, ADVICE).as_warning() for path in found], ()


def _detectors() -> list[Any] | None:
    """OpenCV's face cascades, or None when OpenCV (or its cascades) is not installed."""
    try:
        import cv2
    except ImportError:
        return None
    folder = Path(getattr(getattr(cv2, "data", None), "haarcascades", ""))
    if not hasattr(cv2, "CascadeClassifier") or not (folder / CASCADES[0]).is_file():
        return None  # OpenCV 5 left the cascades out
    return [cv2.CascadeClassifier(str(folder / name)) for name in CASCADES]


def has_face(file: Path, folder: Path | None = None) -> bool | None:
    """Whether OpenCV finds a face in the image file (None: OpenCV is not installed)."""
    detectors = _detectors()
    return None if detectors is None else _has_face(file, detectors, folder)


def _has_face(file: Path, detectors: list[Any], folder: Path | None) -> bool:
    gray = with_image(file, _gray, folder)
    if gray is None:
        return False
    import numpy

    pixels = numpy.asarray(gray)
    side = max(24, min(pixels.shape) // MIN_FRACTION)
    mirrored = numpy.ascontiguousarray(pixels[:, ::-1])
    frontal, profile = detectors
    views = ((frontal, pixels), (profile, pixels), (profile, mirrored))  # profiles face left
    for detector, view in views:
        found = detector.detectMultiScale(
            view, scaleFactor=1.1, minNeighbors=MIN_NEIGHBOURS, minSize=(side, side)
        )
        if len(found):
            return True
    return False


def _gray(image: Image) -> Image:
    """The image upright, in grey levels, at most `LONGEST_SIDE` pixels across."""
    from PIL import ImageOps

    image.draft("L", (LONGEST_SIDE, LONGEST_SIDE))  # JPEG: decode at a smaller size
    gray = ImageOps.exif_transpose(image).convert("L")
    gray.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    return gray
