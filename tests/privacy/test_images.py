"""The metadata of a panel's source image file: GPS, dates and serial numbers in EXIF (JPEG,
PNG, WebP) and in XMP are reported; a clean file or one that is not an image is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from casereport.privacy.images import EXIF_IFD, GPS_IFD, carried, metadata

TAKEN = "2019:03:14 10:21:07"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
    b'exif:GPSLatitude="51,30.2N" xmp:CreateDate="2019-03-14T10:21:07" '
    b'aux:SerialNumber="12345"/></rdf:RDF></x:xmpmeta>'
)


def _exif(*, gps: bool = True, date: bool = True, serial: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make: not identifying by itself
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
    if date:
        exif.get_ifd(EXIF_IFD)[0x9003] = TAKEN
    if serial:
        exif.get_ifd(EXIF_IFD)[0xA431] = "SN-0042-77"
    return exif


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".webp"])
def test_gps_date_and_serial_in_exif(tmp_path: Path, suffix: str) -> None:
    file = tmp_path / f"panel{suffix}"
    Image.new("RGB", (64, 48), "white").save(file, exif=_exif())
    assert carried(file) == ["GPS position", f"date taken ({TAKEN})", "camera serial number"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ({"date": False, "serial": False}, ["GPS position"]),
        ({"gps": False, "serial": False}, [f"date taken ({TAKEN})"]),
        ({"gps": False, "date": False}, ["camera serial number"]),
        ({"gps": False, "date": False, "serial": False}, []),
    ],
)
def test_each_kind_alone(tmp_path: Path, kind: dict[str, bool], expected: list[str]) -> None:
    file = tmp_path / "panel.jpg"
    Image.new("RGB", (64, 48), "white").save(file, exif=_exif(**kind))
    assert carried(file) == expected


def test_xmp(tmp_path: Path) -> None:
    file = tmp_path / "panel.jpg"
    Image.new("RGB", (64, 48), "white").save(file, xmp=XMP)
    assert carried(file) == ["GPS position", "date taken", "camera serial number"]


def test_a_clean_file_and_a_file_that_is_no_image(tmp_path: Path) -> None:
    clean, broken = tmp_path / "clean.jpg", tmp_path / "broken.jpg"
    Image.new("RGB", (64, 48), "white").save(clean)
    broken.write_bytes(b"not an image")
    assert carried(clean) == carried(broken) == carried(tmp_path / "missing.jpg") == []


def test_one_warning_at_the_panel_naming_everything(tmp_path: Path) -> None:
    file = tmp_path / "before.jpg"
    Image.new("RGB", (64, 48), "white").save(file, exif=_exif())
    path = ("figures", 0, "panels", 1, "image")
    [problem] = metadata(path, file)
    assert (problem.path, problem.severity) == (path, "warning")
    assert problem.message.startswith(
        'privacy (images): "before.jpg" carries GPS position, date taken '
        f"({TAKEN}), camera serial number in its metadata; the built figures never do"
    )


def test_only_a_regular_image_file_inside_the_case_folder_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the figures stage opens panels (`inputs.read_input`): a file outside the folder,
    a FIFO (which would block a read), a decompression bomb give nothing, at once."""
    case = tmp_path / "case"
    case.mkdir()
    outside = tmp_path / "outside.jpg"
    Image.new("RGB", (64, 48), "white").save(outside, exif=_exif())
    os.mkfifo(case / "fifo.jpg")
    assert carried(case / ".." / "outside.jpg", case) == []
    assert carried(outside, case) == []
    assert carried(case / "fifo.jpg", case) == []
    Image.new("RGB", (64, 48), "white").save(case / "bomb.jpg", exif=_exif())
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert carried(case / "bomb.jpg", case) == []
