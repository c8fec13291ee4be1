"""The .docx package, byte for byte the same for the same manuscript.

python-docx stamps each zip entry with the time of saving and the core properties'
`modified` with now; here every entry gets one fixed time and the properties get the
case's date: `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), else the
time the case file was last changed. So two builds of one case give the same bytes, and a
rebuild the bytes of a fresh build.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document

    from casereport.manuscript import Manuscript

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
GENERATOR = "casereport"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def case_date(case_file: Path | None) -> dt.datetime:
    """The manuscript's date: SOURCE_DATE_EPOCH, else the case file's last change, else
    the zip epoch (UTC, whole seconds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        seconds = int(epoch)
    elif case_file is not None and case_file.is_file():
        seconds = int(case_file.stat().st_mtime)
    else:
        seconds = int(dt.datetime(*ZIP_TIME, tzinfo=dt.UTC).timestamp())
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def set_properties(document: Document, manuscript: Manuscript, date: dt.datetime) -> None:
    """Title, authors, subject (the journal and article type), keywords, language, dates."""
    properties = document.core_properties
    properties.title = manuscript.title
    properties.author = "; ".join(a.name for a in manuscript.authors)
    properties.subject = f"{manuscript.journal_name}: {manuscript.article.replace('-', ' ')}"
    properties.keywords = "; ".join(manuscript.keywords)
    properties.language = manuscript.lang
    properties.created = date
    properties.modified = date
    properties.last_modified_by = GENERATOR
    properties.revision = 1
    properties.comments = ""
    properties.category = ""


def drop_unused_parts(document: Document) -> None:
    """Leave out two parts of python-docx's template that describe nothing of ours: the
    Word 2010 copy of the styles (stylesWithEffects.xml, 440 kB that Word makes again) and
    the template's thumbnail picture of an empty page."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    unused = (STYLES_WITH_EFFECTS, RELATIONSHIP_TYPE.THUMBNAIL)
    for rels in (document.part.rels, document.part.package.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype in unused]:
            del rels[rid]


def docx_bytes(document: Document) -> bytes:
    """The document saved, its zip entries re-stored in the same order with a fixed time
    and permissions."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
