"""References: bibliography files (CSL-JSON, BibTeX, RIS), identifiers and their lookup, CSL styles,
the citeproc layer, citation syntax, the formatted list and the checks of references."""
