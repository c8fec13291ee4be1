"""A panel's image file, opened for the lint as the figures stage opens it: only a regular
file inside the case folder (`inputs.read_input`), only JPEG, PNG, TIFF or WebP, and a
decompression bomb refused. A file that cannot be used gives None: why is the figures
stage's to report, at the same panel.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from casereport.figures.images import CORRUPT, FORMATS
from casereport.inputs import MAX_IMAGE_BYTES, InputRefused, read_input

if TYPE_CHECKING:
    from PIL.Image import Image

T = TypeVar("T")


def with_image(file: Path, use: Callable[[Image], T], folder: Path | None = None) -> T | None:
    """`use(image)` on the image `file` of the case in `folder` (default: the file's own
    folder), or None when the file is refused, unreadable or not an image."""
    from PIL import Image as PIL
    from PIL import UnidentifiedImageError

    folder = file.parent if folder is None else folder
    try:
        data = read_input(folder, str(file.relative_to(folder)), max_bytes=MAX_IMAGE_BYTES)
    except (InputRefused, OSError, ValueError):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's other warnings (corrupt EXIF, …) are noise
        warnings.simplefilter("error", PIL.DecompressionBombWarning)
        try:
            with PIL.open(io.BytesIO(data), formats=FORMATS) as image:
                return use(image)
        except (
            PIL.DecompressionBombError,
            PIL.DecompressionBombWarning,
            UnidentifiedImageError,
            *CORRUPT,
        ):
            return None
