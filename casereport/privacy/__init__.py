"""The privacy lint: identifiers of the patient in a case, by HIPAA Safe Harbor category.

    from casereport.privacy import privacy_problems, privacy_report

    privacy_problems(checked) -> list[errors.Problem]
    privacy_report(checked) -> PrivacyReport(problems, notes)

`checked` is a `checks.Checked` (anything with its `source`, `case` and `resolved`). Each
problem is a warning at a field path with a `needle` at the matched text, so
`positions.locate(checked.source, problems)` gives it the line and column of the match in
the case file; its message opens with the category: `privacy (dates): "on 14 March 2019" …`.
`notes` says which checks could not run: without OpenCV, once,
"privacy: faces not checked: pip install 'casereport[faces]'"; a note never fails a run.

Categories: `names` and `initials` (A), `places` (B), `dates` and `ages` over 89 (C),
`phone` (D), `fax` (E), `email` (F), `numbers`: record, account, health plan, licence,
social security and study numbers (G-K, R), `serials`: device serials and vehicle plates
(L-M), `urls` (N), `ip` (O); for panels, `images` (GPS, dates and serial numbers in the
source file's EXIF or XMP) and `faces` (Q). Read: every printed text of the case (title,
abstract, keywords, body, sections, declarations, figure titles, legends and panel fields,
table titles and notes, the timeline, treatments, labs and scores, each journal's own
texts), never the authors, affiliations, correspondence block or reference list.
`find_identifiers(text)` runs the text rules on one string.
"""

from __future__ import annotations

from casereport.privacy.lint import (
    PrivacyReport,
    find_identifiers,
    privacy_problems,
    privacy_report,
)

__all__ = ["PrivacyReport", "find_identifiers", "privacy_problems", "privacy_report"]
