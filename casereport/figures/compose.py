"""Compose panel photos into one print-sized, metadata-free figure, cached by content.

The grid comes from `grid`, each panel's pixels from `images`, letters and marks from
`annotate`. The cache key covers the panels' bytes and every parameter, so a rebuild with
unchanged figures finds the file and decodes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from casereport.export.files import make_folder, write_bytes_atomic
from casereport.figures.annotate import LabelStyle, Marks, Tile, draw_label, draw_marks, outside
from casereport.figures.grid import Grid, GridError, place
from casereport.figures.images import (
    FORMAT_NAMES,
    FORMATS,
    FigureError,
    cover_crop,
    decode,
    fit,
    frame_count,
    open_panel,
    oriented_size,
    panel_errors,
)

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["FORMATS", "FORMAT_NAMES", "ComposeSpec", "Composed", "FigureError", "compose"]

VERSION = "figures-2"  # bump when the output for the same inputs changes
MAX_FILE_BYTES = 256 * 1024 * 1024
MM_PER_INCH = 25.4
WHITE = (255, 255, 255)
Box = tuple[int, int, int, int]  # x, y, width, height on the canvas

_DIGESTS: dict[tuple[str, int, int, int], str] = {}
_DIGESTS_MAX = 4096


@dataclass(frozen=True)
class ComposeSpec:
    """What to compose: panel files, grid, printed width in pixels, labels and marks."""

    panels: tuple[Path, ...]
    rows: int
    columns: int
    width_px: int
    gutter_px: int = 24
    labels: tuple[str, ...] = ()
    quality: int = 90
    spans: tuple[tuple[int, int], ...] = ()  # per panel (rows, columns); empty: all 1x1
    marks: tuple[Marks, ...] = ()  # per panel; empty: none
    label_style: LabelStyle = field(default_factory=LabelStyle)
    dpi: int = 300

    def grid(self) -> Grid:
        return place(self.spans or ((1, 1),) * len(self.panels), self.rows, self.columns)


@dataclass(frozen=True)
class Composed:
    """A composed figure in the cache, its size, and what to warn about its panels."""

    path: Path
    width: int
    height: int
    notes: tuple[tuple[int, str], ...]  # (panel index, message)
    tiff: Path | None = None
    made: bool = field(default=False, compare=False)  # composed now, not found in the cache


def compose_figure(spec: ComposeSpec, cache_dir: Path) -> Path:
    """Return the path of the composed baseline JPEG in cache_dir, computing it only on a miss."""
    return compose(spec, cache_dir).path


def compose(spec: ComposeSpec, cache_dir: Path, *, tiff: bool = False) -> Composed:
    """The composed figure (and an LZW TIFF of it if asked), from the cache when possible."""
    grid = _check_spec(spec)
    key = _cache_key(spec)
    target, tiff_target = cache_dir / f"{key}.jpg", cache_dir / f"{key}.tif"
    meta = _read_meta(cache_dir / f"{key}.json")
    if meta is not None and target.is_file() and (not tiff or tiff_target.is_file()):
        return Composed(target, *meta, tiff=tiff_target if tiff else None)
    make_folder(cache_dir)
    image, notes = _render(spec, grid)
    _write_atomic(image, target, "JPEG", spec)
    if tiff:
        _write_atomic(image, tiff_target, "TIFF", spec)
    composed = Composed(
        target, image.width, image.height, tuple(notes), tiff_target if tiff else None, True
    )
    _write_meta(cache_dir / f"{key}.json", composed)
    return composed


def _cache_key(spec: ComposeSpec) -> str:
    """Hex sha256 of the panels' contents, every spec parameter and the code version."""
    payload = {
        **asdict(spec),
        "version": VERSION,
        "panels": [_content_digest(i, path) for i, path in enumerate(spec.panels)],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _check_spec(spec: ComposeSpec) -> Grid:
    """Refuse a spec that cannot make a sensible figure; return its grid."""
    layout = f"{spec.rows}x{spec.columns}"
    checks = (
        (not spec.panels, "a figure needs at least one panel"),
        (spec.rows < 1 or spec.columns < 1, f"layout {layout} needs at least 1 row and 1 column"),
        (spec.gutter_px < 0, f"gutter must not be negative, got {spec.gutter_px}"),
        (
            spec.columns > 0 and _cell_width(spec) < 1,
            f"width {spec.width_px} px leaves no room for {spec.columns} columns",
        ),
        (
            bool(spec.labels) and len(spec.labels) != len(spec.panels),
            f"{len(spec.labels)} labels for {len(spec.panels)} panels",
        ),
        (not 1 <= spec.quality <= 100, f"JPEG quality must be 1-100, got {spec.quality}"),
        (bool(spec.spans) and len(spec.spans) != len(spec.panels), "one span per panel"),
        (bool(spec.marks) and len(spec.marks) != len(spec.panels), "one set of marks per panel"),
    )
    problem = next((message for failed, message in checks if failed), None)
    if problem is not None:
        raise FigureError(None, None, problem)
    try:
        return spec.grid()
    except GridError as exc:
        index = exc.panel_index
        raise FigureError(
            index, None if index is None else spec.panels[index], exc.message
        ) from None


def file_digest(path: Path) -> str:
    """Sha256 of a file's bytes, memoised like the panels' (shared with the build manifest)."""
    try:
        return _content_digest(0, path)
    except FigureError as exc:
        raise OSError(exc.message) from None


def _content_digest(index: int, path: Path) -> str:
    """Sha256 of a file's bytes, memoised on (path, size, mtime, inode)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO must not hang
        with os.fdopen(fd, "rb") as file:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise FigureError(index, path, "not a regular file (a FIFO, socket or device)")
            key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
            if key not in _DIGESTS:
                _remember(key, _hash_file(index, path, file, st.st_size))
    except OSError as exc:
        raise FigureError(index, path, f"cannot read file: {exc.strerror or exc}") from exc
    return _DIGESTS[key]


def _hash_file(index: int, path: Path, file: io.BufferedReader, size: int) -> str:
    """Hash an open file, refusing ones too large to be a photo."""
    if size > MAX_FILE_BYTES:
        raise FigureError(index, path, f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")
    return hashlib.file_digest(file, "sha256").hexdigest()


def _remember(key: tuple[str, int, int, int], digest: str) -> None:
    """Store a digest, forgetting everything once the memo grows large."""
    if len(_DIGESTS) >= _DIGESTS_MAX:
        _DIGESTS.clear()
    _DIGESTS[key] = digest


def _cell_width(spec: ComposeSpec) -> int:
    """Width of one grid cell in pixels."""
    return (spec.width_px - (spec.columns - 1) * spec.gutter_px) // spec.columns


def _render(spec: ComposeSpec, grid: Grid) -> tuple[Image.Image, list[tuple[int, str]]]:
    """Decode, orient, fit, annotate and paste every panel onto a white canvas."""
    canvas: Image.Image | None = None
    unit = (_cell_width(spec), 1)
    notes: list[tuple[int, str]] = []
    for index, path in enumerate(spec.panels):
        with open_panel(index, path) as im, panel_errors(index, path):
            if canvas is None:
                unit = (unit[0], _unit_height(spec, grid, oriented_size(im), unit[0]))
                canvas = _blank_canvas(spec, grid, unit)
            x, y, w, h = _box(spec, grid, index, unit)
            notes += _notes(spec, index, im, (w, h))
            tile = Tile(fit(decode(im, (w, h)), (w, h)), _crop(im, (w, h)), _width(im), spec.dpi)
            _annotate(spec, index, tile)
        canvas.paste(tile.image, (x, y))
    assert canvas is not None  # _check_spec guarantees at least one panel
    return canvas, notes


def _width(im: Image.Image) -> int:
    return oriented_size(im)[0]


def _crop(im: Image.Image, box: tuple[int, int]) -> tuple[float, float, float, float]:
    return cover_crop(oriented_size(im), box)


def _annotate(spec: ComposeSpec, index: int, tile: Tile) -> None:
    if spec.marks:
        draw_marks(tile, spec.marks[index])
    if spec.labels:
        draw_label(tile, spec.labels[index], spec.label_style)


def _unit_height(spec: ComposeSpec, grid: Grid, size: tuple[int, int], unit_w: int) -> int:
    """Row height that keeps the first panel's displayed aspect ratio in its cells."""
    cell = grid.cells[0]
    box_w = cell.columns * unit_w + (cell.columns - 1) * spec.gutter_px
    box_h = box_w * size[1] / size[0]
    return max(1, round((box_h - (cell.rows - 1) * spec.gutter_px) / cell.rows))


def _blank_canvas(spec: ComposeSpec, grid: Grid, unit: tuple[int, int]) -> Image.Image:
    """White RGB canvas holding the whole grid."""
    from PIL import Image

    height = grid.rows * unit[1] + (grid.rows - 1) * spec.gutter_px
    return Image.new("RGB", (spec.width_px, height), WHITE)


def _box(spec: ComposeSpec, grid: Grid, index: int, unit: tuple[int, int]) -> Box:
    """Canvas box of panel `index` (the grid centred horizontally)."""
    cell = grid.cells[index]
    step_x, step_y = unit[0] + spec.gutter_px, unit[1] + spec.gutter_px
    grid_w = spec.columns * unit[0] + (spec.columns - 1) * spec.gutter_px
    left = (spec.width_px - grid_w) // 2
    width = cell.columns * unit[0] + (cell.columns - 1) * spec.gutter_px
    height = cell.rows * unit[1] + (cell.rows - 1) * spec.gutter_px
    return left + cell.column * step_x, cell.row * step_y, width, height


def _notes(
    spec: ComposeSpec, index: int, im: Image.Image, box: tuple[int, int]
) -> list[tuple[int, str]]:
    """Warnings about one panel: animation, too few pixels for the dpi, marks cropped away."""
    notes: list[tuple[int, str]] = []
    frames = frame_count(im)
    if frames > 1:
        what = "pages" if im.format == "TIFF" else "frames"
        notes.append((index, f"has {frames} {what}: the first is used"))
    low = _resolution(spec, oriented_size(im), box)
    if low:
        notes.append((index, low))
    if spec.marks:
        crop = _crop(im, box)
        marks = spec.marks[index]
        points = [("arrow", x, y) for x, y, _ in marks.arrows]
        points += [("circle", x, y) for x, y, _ in marks.circles]
        notes += [
            (index, f"the {kind} at [{x:g}, {y:g}] is cropped away to fit the layout")
            for kind, x, y in points
            if outside(crop, x, y)
        ]
    return notes


def _resolution(spec: ComposeSpec, size: tuple[int, int], box: tuple[int, int]) -> str | None:
    """A warning when the visible part of the image has fewer pixels than print needs."""
    crop = cover_crop(size, box)
    visible = crop[2] * size[0]
    if visible >= box[0] * 0.99:
        return None
    dpi = spec.dpi * visible / box[0]
    factor = box[0] / visible
    need = (math.ceil(size[0] * factor - 1e-6), math.ceil(size[1] * factor - 1e-6))
    mm = (box[0] / spec.dpi * MM_PER_INCH, box[1] / spec.dpi * MM_PER_INCH)
    return (
        f"{size[0]}x{size[1]} px is too small for {spec.dpi} dpi: printed "
        f"{mm[0]:.0f}x{mm[1]:.0f} mm it has {dpi:.0f} dpi; "
        f"{need[0]}x{need[1]} px or more would print sharp"
    )


def _read_meta(path: Path) -> tuple[int, int, tuple[tuple[int, str], ...]] | None:
    """Size and notes stored beside a cached figure, or None when absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        notes = tuple((int(i), str(m)) for i, m in data["notes"])
        return int(data["width"]), int(data["height"]), notes
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_meta(path: Path, composed: Composed) -> None:
    data = {"width": composed.width, "height": composed.height, "notes": composed.notes}
    write_bytes_atomic(path, json.dumps(data).encode("utf-8"))


def _write_atomic(
    image: Image.Image, target: Path, kind: Literal["JPEG", "TIFF"], spec: ComposeSpec
) -> None:
    """Save pixels only (no EXIF, ICC or comment): a baseline JPEG or an LZW TIFF."""
    image.info.clear()  # Pillow would re-write an inherited comment
    dpi = (spec.dpi, spec.dpi)
    if kind == "JPEG":
        options: dict[str, object] = {
            "quality": spec.quality,
            "optimize": True,
            "progressive": False,
            "dpi": dpi,
        }
    else:
        options = {"compression": "tiff_lzw", "dpi": dpi}
    encoded = io.BytesIO()  # encoded first: a full disk is then an OSError, not a codec's
    image.save(encoded, kind, **options)
    write_bytes_atomic(target, encoded.getvalue())
