"""The submission bundle (`casereport bundle`): the manuscript as DOCX and PDF, each figure as
the journal asks, legends.txt, the CARE checklist, a cover letter, the consent statement and
MANIFEST.txt, in `build/<case>/<journal>/submission/` and a zip beside it; refused, with
every reason and nothing written, while `casereport check --strict` finds anything.

Like `live/`, it drives a build (and the checks of `report`), so it may import those stages.
"""

from casereport.bundle.run import BundleOptions, BundleRefused, BundleResult, bundle_case

__all__ = ["BundleOptions", "BundleRefused", "BundleResult", "bundle_case"]
