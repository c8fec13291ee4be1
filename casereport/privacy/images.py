"""What a panel's source image file says about the patient in its metadata: where it was
taken (EXIF GPS), when (EXIF dates), with which camera (serial numbers), also in XMP.

The built figures never carry any of it (`figures.compose` re-encodes pixels alone), but the
source file travels with the case folder, to co-authors and to the journal's submission
system. A file that cannot be opened (`files.with_image`) is the figures stage's to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casereport.errors import PathKey, Problem
from casereport.privacy.files import with_image

if TYPE_CHECKING:
    from PIL.Image import Exif
    from PIL.Image import Image as PILImage

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATE_TAGS = {0x0132: "DateTime", 0x9003: "DateTimeOriginal", 0x9004: "DateTimeDigitized"}
SERIAL_TAGS = {
    0xA431: "BodySerialNumber",
    0xA435: "LensSerialNumber",
    0xC62F: "CameraSerialNumber",
}
GPS_POSITION_TAGS = (2, 4, 6)  # GPSLatitude, GPSLongitude, GPSAltitude
_XMP = {
    "GPS position": re.compile(rb"exif:GPS(?:Latitude|Longitude)"),
    "date taken": re.compile(
        rb"(?:exif:DateTimeOriginal|photoshop:DateCreated|xmp:CreateDate)\s*[=>]\s*[\"']?\d"
    ),
    "camera serial number": re.compile(rb"(?:aux:SerialNumber|exifEX:BodySerialNumber)"),
}


def metadata(path: PathKey, file: Path, folder: Path | None = None) -> Iterator[Problem]:
    """One warning at the panel's `image` field naming what its file carries, if anything."""
    found = carried(file, folder)
    if found:
        what = ", ".join(found)
        message = (
            f'privacy (images): "{file.name}" carries {what} in its metadata; the built '
            "figures never do, but the file travels with the case: strip it "
            f"(exiftool -all= {file.name}) before sharing the case folder"
        )
        yield Problem(path, message).as_warning()


def carried(file: Path, folder: Path | None = None) -> list[str]:
    """What identifying metadata the image `file` of the case in `folder` has: GPS
    position, dates, serial numbers (nothing for a file that cannot be used)."""
    return with_image(file, _carried, folder) or []


def _carried(image: PILImage) -> list[str]:
    found = _from_exif(image.getexif())
    xmp = _xmp(image.info)
    found += [
        name
        for name, pattern in _XMP.items()
        if pattern.search(xmp) and not any(f.startswith(name) for f in found)
    ]
    return found


def _from_exif(exif: Exif) -> list[str]:
    found = []
    gps = exif.get_ifd(GPS_IFD)
    if any(tag in gps for tag in GPS_POSITION_TAGS):
        found.append("GPS position")
    tags = {**dict(exif), **exif.get_ifd(EXIF_IFD)}
    dates = [str(tags[tag]).strip() for tag in DATE_TAGS if str(tags.get(tag, "")).strip()]
    if dates:
        found.append(f"date taken ({dates[0]})")
    if any(str(tags.get(tag, "")).strip() for tag in SERIAL_TAGS):
        found.append("camera serial number")
    return found


def _xmp(info: Mapping[Any, object]) -> bytes:
    """The XMP packet, as JPEG (`xmp`), PNG (`XML:com.adobe.xmp`) or TIFF/WebP keep it."""
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = info.get(key)
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8", "replace")
    return b""
