"""Great Expectations' Data Docs made deterministic: the time of the validation run and random
element ids replaced by the release date and sequence numbers, and assets nothing references
dropped, so the same content gives the same bytes and the same manifest on every mirror.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

# The moments Great Expectations stamps on a validation (run time, batch load time), as spelled in
# its page folders and pages; a validation page holds no other timestamps of these forms.
_RUN_ID = re.compile(r"^\d{8}T\d{6}\.\d{6}Z$")


_RUN_ID_FORMAT = "%Y%m%dT%H%M%S.%fZ"


_STAMP = re.compile(r"\b\d{8}T\d{6}\.\d+Z|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


# The index page's table rows: a run's time to the second, then the exact time it sorts by.
_INDEX_ROW = re.compile(r"'run_time': '[^']*', '_run_time_sort': ([0-9]+(?:\.[0-9]+)?)")


# Cache-busting query on the logo of every page, stamped when the page is rendered.
_RENDER_STAMP = re.compile(r"(\?d=)\d{8}T\d{6}\.\d+Z")


# Element ids of collapsible sections, drawn with uuid4 on every render.
_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def normalize_data_docs(docs_dir: Path, day: dt.date) -> None:
    """Make Data Docs depend on the release's content and date only, not on when they were rendered.

    Great Expectations names each validation's page folder after the run's time, writes that time
    and the batch's load time into the page and the index, stamps every page with its render time
    and gives collapsible sections random ids. Each run's time becomes midnight UTC of the release
    date plus the run's rank in seconds (so the index keeps its order), and every stamp in that
    run's page becomes that time; render stamps become midnight; random ids become
    `00000000-0000-4000-8000-<n>` in order of appearance within each page.
    """
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return
    run_dirs = [p for p in docs_dir.rglob("*") if p.is_dir() and _RUN_ID.match(p.name)]
    base = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    fixed = {name: base + dt.timedelta(seconds=rank) for rank, name in enumerate(sorted({p.name for p in run_dirs}))}
    by_epoch = [(_run_time(name).timestamp(), when) for name, when in fixed.items()]

    def index_row(match: re.Match) -> str:
        value = float(match.group(1))
        when = next((w for epoch, w in by_epoch if abs(epoch - value) < 1e-3), None)
        if when is None:
            return match.group(0)
        return f"'run_time': '{when:%Y-%m-%d %H:%M:%S} UTC', '_run_time_sort': {when.timestamp():.6f}"

    for page in sorted(docs_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        own = next((fixed[part] for part in page.relative_to(docs_dir).parts if part in fixed), None)
        if own is not None:
            text = _STAMP.sub(
                lambda m, own=own: own.strftime(_RUN_ID_FORMAT if "." in m.group(0) else "%Y-%m-%dT%H:%M:%SZ"), text
            )
        else:
            text = _RENDER_STAMP.sub(lambda m: m.group(1) + base.strftime(_RUN_ID_FORMAT), text)
            text = _INDEX_ROW.sub(index_row, text)
            # Links from the index to each run's page name its folder.
            for name, when in fixed.items():
                text = text.replace(name, when.strftime(_RUN_ID_FORMAT))
        ids: dict[str, str] = {}
        text = _UUID4.sub(lambda m, ids=ids: ids.setdefault(m.group(0), f"00000000-0000-4000-8000-{len(ids):012d}"), text)
        page.write_text(text, encoding="utf-8")
    for folder in run_dirs:
        folder.rename(folder.with_name(fixed[folder.name].strftime(_RUN_ID_FORMAT)))


def _run_time(name: str) -> dt.datetime:
    return dt.datetime.strptime(name, _RUN_ID_FORMAT).replace(tzinfo=dt.UTC)


def prune_unreferenced_assets(docs_dir: Path) -> None:
    """Drop Data Docs' bundled images that no page, style sheet or script refers to.

    Great Expectations copies its whole static folder (tutorial GIFs included, about 3 MB) into
    every site; a release should carry only what its pages show.
    """
    static = docs_dir / "static"
    if not static.is_dir():
        return
    pages = [p for p in docs_dir.rglob("*") if p.suffix in {".html", ".css", ".js"}]
    text = "\n".join(p.read_text(errors="ignore") for p in pages)
    for asset in (static / "images").glob("*"):
        if asset.is_file() and asset.name not in text:
            asset.unlink()


# Where the static list of pages goes: right after the index page's opening body tag.
_BODY = re.compile(r"<body[^>]*>")


def add_static_index(docs_dir: Path) -> None:
    """Put a plain list of every suite and validation page at the top of the Data Docs index.

    The index's own table is drawn by scripts fetched from CDNs, so offline (or behind a strict
    proxy) it is blank; the pages it links to are static HTML and read without them.
    """
    index = Path(docs_dir) / "index.html"
    if not index.is_file():
        return
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in Path(docs_dir).rglob("*.html") if p != index)
    groups = {"expectations/": "Expectation suites", "validations/": "Validation results"}
    items = []
    for prefix, title in groups.items():
        links = "".join(
            f'<li><a href="{html.escape(p)}">{html.escape(_page_name(p))}</a></li>' for p in pages if p.startswith(prefix)
        )
        if links:
            items.append(f"<h3>{title}</h3><ul>{links}</ul>")
    block = '<div id="broadsheet-static-index" style="margin:1rem 2rem"><h2>Pages</h2>' + "".join(items) + "</div>"
    text = index.read_text(encoding="utf-8")
    if "broadsheet-static-index" in text:
        return
    text = _BODY.sub(lambda m: m.group(0) + block, text, count=1)
    index.write_text(text, encoding="utf-8")


def _page_name(relpath: str) -> str:
    """'validations/claims/checks/__none__/<run>/release-claims.checks.html' → 'claims.checks'."""
    stem = relpath.rsplit("/", 1)[-1].removesuffix(".html")
    if relpath.startswith("validations/"):
        return stem.split("-", 1)[-1]
    return relpath.removeprefix("expectations/").removesuffix(".html").replace("/", ".")
