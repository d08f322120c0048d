"""Self-contained HTML pages: the release report and the validation report share one look.

No script, no stylesheet or font from elsewhere, so a page renders the same offline and from a
mirror; every value is escaped, since the texts come from articles (untrusted input).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

MAX_FAILING_ROWS = 20  # failing rows and values shown per failed check


def page(title: str, subtitle: str, nav: Sequence[tuple[str, str]], sections: Sequence[str]) -> str:
    """A whole page: a header with its title, a line under it and links to its sections."""
    links = " · ".join(f'<a href="#{sid}">{escape(name)}</a>' for sid, name in nav)
    return (
        "<!DOCTYPE html>\n"
        '<html dir="ltr" lang="en-US">\n<head>\n'
        '<meta content="text/html; charset=utf-8" http-equiv="Content-Type">\n'
        '<meta content="initial-scale=1, width=device-width" name="viewport">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(title)}</h1>\n<p>{subtitle}</p>\n<nav>{links}</nav></header>\n"
        "<main>\n" + "\n".join(sections) + "\n</main>\n</body>\n</html>\n"
    )


STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}"
    "header{background:#f3f1ea;padding:1rem 2rem;border-bottom:1px solid #ddd}"
    "main{padding:0 2rem 2rem;max-width:70rem}"
    "h1{margin:.2rem 0;font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:.5rem 0}"
    "th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f7f7f7}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".ok{color:#17622e;font-weight:600}.bad{color:#a4161a;font-weight:600}"
    "svg text{font:11px system-ui,sans-serif;fill:#333}.bar{fill:#3b6ea5}"
)


def escape(value: Any) -> str:
    return html.escape(str(value), quote=True)


def section(sid: str, title: str, body: str) -> str:
    return f'<section id="{sid}">\n<h2>{escape(title)}</h2>\n{body}\n</section>'


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "\n".join(
        "<tr>"
        + "".join(f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"


def validation_html(validation: Sequence[Mapping[str, Any]]) -> str:
    """Per suite, how many of its checks passed; for every failed check, its rule, the keys of the
    rows that broke it (`examples`) and the values that did (`offending`), as the results file holds them."""
    if not validation:
        return "<p>No validation results.</p>"
    rows, failures = [], []
    for suite in validation:
        checks = suite.get("expectations", [])
        failed = [c for c in checks if not c.get("success")]
        outcome = '<span class="ok">passed</span>' if not failed else '<span class="bad">failed</span>'
        rows.append(
            f"<tr><td>{escape(suite.get('suite'))}</td><td>{escape(suite.get('table'))}</td>"
            f'<td class="n">{escape(suite.get("n_rows"))}</td>'
            f'<td class="n">{len(checks) - len(failed)} of {len(checks)}</td><td>{outcome}</td></tr>'
        )
        failures += [_failure(suite, check) for check in failed]
    summary = (
        "<table><thead><tr><th>suite</th><th>table</th><th>rows</th><th>checks passed</th><th>outcome</th></tr></thead>"
        "<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    return summary + ("\n<h3>Failed checks</h3>\n" + "\n".join(failures) if failures else "<p>Every check passed.</p>")


def _failure(suite: Mapping[str, Any], check: Mapping[str, Any]) -> str:
    meta = check.get("meta") or {}
    result = check.get("result") or {}
    where = f"{suite.get('table')}.{meta['column']}" if meta.get("column") else str(suite.get("table"))
    what = meta.get("rule") or meta.get("check") or check.get("expectation_type")
    counted = result.get("unexpected_count")
    lines = [f'<p class="bad">{escape(what)} on {escape(where)}' + (f" ({escape(counted)} rows)" if counted else "") + "</p>"]
    if check.get("exception"):
        lines.append(f"<p>{escape(check['exception'])}</p>")
    for label, key in (("rows (by key)", "examples"), ("values", "offending")):
        values = result.get(key) or []
        if values:
            shown = "".join(f"<li><code>{escape(v)}</code></li>" for v in values[:MAX_FAILING_ROWS])
            lines.append(f"<p>Failing {label}:</p><ul>{shown}</ul>")
    return '<div class="failure">' + "".join(lines) + "</div>"


def validation_page_html(stage: str, validation: Sequence[Mapping[str, Any]]) -> str:
    """The validation report of one stage's run, written beside its results file."""
    failed = sum(1 for suite in validation for check in suite.get("expectations", []) if not check.get("success"))
    subtitle = f"{failed} failed check{'s' if failed != 1 else ''}." if failed else "Every check passed."
    return page(
        f"broadsheet validation: {stage}",
        escape(subtitle),
        (("validation", "Validation"),),
        [section("validation", "Validation", validation_html(validation))],
    )
