"""The CARE checklist: where a case reports each item of CARE 2013, or what it lacks.

`care_checklist(checked)` maps every item and sub-item to the places a case reports it
(`checklist`), from the items as data (`items`, `care-2013.yaml`) and what counts as
reporting them (`evidence`); `formats` writes the filled checklist as Markdown, CSV and HTML
(the `care` output format, `casereport build --to care`). A domain: it reads the values the
stages pass (`Case`, `Resolved`, `Journal`, the `Source`), never a stage.
"""

from casereport.care.checklist import (
    CareItem,
    Checklist,
    Row,
    care_checklist,
    filled_checklist,
    where_lines,
)
from casereport.care.evidence import Place
from casereport.care.items import NUMBERINGS

__all__ = [
    "NUMBERINGS",
    "CareItem",
    "Checklist",
    "Place",
    "Row",
    "care_checklist",
    "filled_checklist",
    "where_lines",
]
