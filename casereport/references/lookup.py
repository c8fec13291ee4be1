"""Metadata of a DOI or a PubMed id, fetched over HTTP and normalised to CSL-JSON.

DOIs are asked of doi.org by content negotiation (``Accept: application/vnd.citationstyles.
csl+json``; doi.org hands the request to Crossref, DataCite or mEDRA); PMIDs of the NCBI
E-utilities (``esummary``). The base URLs come from ``CASEREPORT_DOI_URL`` and
``CASEREPORT_PUBMED_URL`` (tests point them at a server on 127.0.0.1), the timeout from
``CASEREPORT_LOOKUP_TIMEOUT`` (seconds, default 10). This is the only module that opens a
network connection, and only `identifiers.lock_identifiers` calls it, before rendering.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from casereport import __version__
from casereport.references.dates import parse_date

DOI_URL = "https://doi.org"
PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
_KEEP = [
    "type",
    "title",
    "container-title",
    "container-title-short",
    "volume",
    "issue",
    "page",
    "DOI",
    "URL",
    "PMID",
    "PMCID",
    "ISSN",
    "ISBN",
    "publisher",
    "publisher-place",
    "edition",
    "issued",
    "author",
    "editor",
]
_TYPES = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "proceedings-article": "paper-conference",
    "posted-content": "article",
    "dataset": "dataset",
}


class LookupFailed(Exception):
    """A DOI or PMID could not be looked up; the message says why, for the user."""


def fetch(key: str) -> dict[str, Any]:
    """CSL-JSON for an identifier key, `doi:10.…` or `pmid:123`."""
    scheme, _, value = key.partition(":")
    if scheme == "doi":
        return fetch_doi(value)
    if scheme == "pmid":
        return fetch_pmid(value)
    raise LookupFailed(f"unknown identifier type {scheme!r} (use doi: or pmid:)")


def fetch_doi(doi: str) -> dict[str, Any]:
    """Ask doi.org for the DOI's metadata as CSL-JSON."""
    base = os.environ.get("CASEREPORT_DOI_URL", DOI_URL).rstrip("/")
    url = f"{base}/{urllib.parse.quote(doi, safe='/:;()')}"
    data = _get_json(url, "application/vnd.citationstyles.csl+json", f"DOI {doi}")
    if not isinstance(data, dict) or not data.get("title"):
        raise LookupFailed(f"DOI {doi}: the answer from {base} is not a CSL-JSON item")
    return normalise(data)


def fetch_pmid(pmid: str) -> dict[str, Any]:
    """Ask the NCBI E-utilities for the PubMed record's summary, as CSL-JSON."""
    if not pmid.isdigit():
        raise LookupFailed(f"PMID {pmid!r} is not a number")
    base = os.environ.get("CASEREPORT_PUBMED_URL", PUBMED_URL).rstrip("/")
    query = urllib.parse.urlencode(
        {"db": "pubmed", "id": pmid, "retmode": "json", "tool": "casereport"}
    )
    data = _get_json(f"{base}/esummary.fcgi?{query}", "application/json", f"PMID {pmid}")
    record = data.get("result", {}).get(pmid) if isinstance(data, dict) else None
    if not isinstance(record, dict) or "error" in record or not record.get("title"):
        raise LookupFailed(f"PMID {pmid} not found in PubMed")
    return pubmed_to_csl(pmid, record)


def _get_json(url: str, accept: str, what: str) -> Any:
    timeout = float(os.environ.get("CASEREPORT_LOOKUP_TIMEOUT", "10"))
    request = urllib.request.Request(
        url, headers={"Accept": accept, "User-Agent": f"casereport/{__version__}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(5_000_000)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise LookupFailed(f"{what} not found ({_host(url)} answered 404)") from None
        raise LookupFailed(f"{what}: {_host(url)} answered {exc.code} {exc.reason}") from None
    except TimeoutError:
        raise LookupFailed(f"{what}: no answer from {_host(url)} within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise LookupFailed(f"{what}: cannot reach {_host(url)} ({reason})") from None
    try:
        return json.loads(body)
    except ValueError:
        raise LookupFailed(f"{what}: {_host(url)} did not answer with JSON") from None


def _host(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Keep the CSL variables a reference list needs, as plain strings and names."""
    item: dict[str, Any] = {}
    for key in _KEEP:
        value = data.get(key)
        if isinstance(value, list) and key not in ("author", "editor", "ISSN", "ISBN"):
            value = value[0] if value else None
        if value in (None, "", []):
            continue
        item[key] = value
    item["type"] = _TYPES.get(str(item.get("type")), item.get("type", "article-journal"))
    short = data.get("journalAbbreviation") or data.get("container-title-short")
    if short and "container-title-short" not in item:
        item["container-title-short"] = short[0] if isinstance(short, list) else short
    return _tidy(item)


def _tidy(item: dict[str, Any]) -> dict[str, Any]:
    """Plain-text titles, names with CSL name parts only, one ISSN, one date."""
    for key in ("title", "container-title", "container-title-short"):
        if isinstance(item.get(key), str):
            item[key] = _plain(item[key])
    for role in ("author", "editor"):
        if isinstance(item.get(role), list):
            item[role] = [_name(n) for n in item[role] if isinstance(n, dict)]
    for key in ("ISSN", "ISBN"):
        if isinstance(item.get(key), list):
            item[key] = item[key][0]
    issued = item.get("issued")
    if isinstance(issued, dict) and "date-parts" in issued:
        item["issued"] = {"date-parts": issued["date-parts"][:1]}
    return item


def _plain(text: str) -> str:
    """Markup that registries put in titles (`<i>`, `<sub>`) removed, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _name(name: dict[str, Any]) -> dict[str, str]:
    keys = ("family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix")
    kept = {k: str(v) for k, v in name.items() if k in keys and v}
    if "name" in name and not kept:
        kept["literal"] = str(name["name"])
    return kept


def pubmed_to_csl(pmid: str, record: dict[str, Any]) -> dict[str, Any]:
    """An E-utilities esummary record → CSL-JSON."""
    item: dict[str, Any] = {"type": "article-journal", "PMID": pmid}
    item["title"] = _plain(str(record["title"])).removesuffix(".")
    for key, csl in (
        ("fulljournalname", "container-title"),
        ("source", "container-title-short"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
    ):
        if record.get(key):
            item[csl] = str(record[key])
    authors = [_pubmed_name(a) for a in record.get("authors", []) if isinstance(a, dict)]
    if authors:
        item["author"] = [a for a in authors if a]
    if record.get("pubdate"):
        item["issued"] = parse_date(str(record["pubdate"]))
    for article_id in record.get("articleids", []):
        kind, value = article_id.get("idtype"), article_id.get("value")
        if kind == "doi" and value:
            item["DOI"] = value
        elif kind == "pmc" and value:
            item["PMCID"] = value
    return item


def _pubmed_name(author: dict[str, Any]) -> dict[str, str]:
    """`Morand EF` → family Morand, given `E. F.`; a collective name stays whole."""
    name = str(author.get("name", "")).strip()
    if author.get("authtype") == "CollectiveName" or " " not in name:
        return {"literal": name} if name else {}
    family, initials = name.rsplit(" ", 1)
    if initials.isupper() and initials.isalpha() and len(initials) <= 4:
        return {"family": family, "given": " ".join(f"{c}." for c in initials)}
    return {"family": family, "given": initials}
