"""The ranking as text: ranking.csv, ranking.md and ranking.html.

The three show the same sections (sweep_report_ranking.sections) in the same order. The CSV is
for further work (every column, full precision); Markdown and HTML are for reading: what was
compared (the motor, mesh, load events, positions, rated load, software: sweep_report_conditions),
an overview (candidate x temperature), a table per section with the cases' notes, the columns
explained and the figures. The HTML is self-contained (CSS inline, the PNGs referenced relatively)
and fits a laptop screen: a table wider than the window scrolls inside its own box, the page does
not (tests/app/report_html_chromium.py measures it at 1400 px).
"""

import csv
import html
import io

from sweep_report_columns import LEGEND, TEXT_COLUMNS, csv_cell, csv_columns, fmt, human_columns
from sweep_report_conditions import conditions
from sweep_report_merged import finished, unique
from sweep_report_ranking import RULE, verdict


def csv_text(sweep, ranked):
    cols = csv_columns(sweep)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for rows in ranked.values():
        for r in rows:
            w.writerow([csv_cell(sweep, r, c) for c in cols])
    return buf.getvalue()


def overview(sweep, ranked):
    """The overview tables: the temperatures, the candidates (in table order) and, per (group, event) in
    display order, the table's heading and its cells (candidate -> temperature -> text)."""
    temps = sweep.temperatures()
    cands = []
    for r in sweep.rows:
        if r["candidate"] not in cands:
            cands.append(r["candidate"])
    blocks = {}
    for (g, t, e), rows in ranked.items():
        b = blocks.setdefault((g, e), {})
        for r in rows:
            v = verdict(r)
            if v == "failed":
                cell = "failed"
            elif v == "no result":
                cell = "—"
            else:
                cell = ("✓ " if v == "survives" else "✗ ") + fmt(r.get("flux_linkage_loss_pct"), 2) + " %"
            b.setdefault(r["candidate"], {})[t] = cell
    order = sorted(blocks, key=lambda k: (k[0], sweep.events.index(k[1]) if k[1] in sweep.events else 99))
    tables = [(f"Event '{e}'" + (f", {sweep.group_label(g)}" if sweep.many_groups() else ""), blocks[(g, e)])
              for g, e in order]
    return temps, cands, tables


def introduction(sweep, path, escape=str):
    """The sentence under the title: what was swept and how many cases failed (`path` marked up already)."""
    failed = sum(1 for r in sweep.rows if not finished(r))
    return (f"From {path}: {len(sweep.rows)} cases ({failed} failed), candidates "
            f"{escape(', '.join(sorted({r['candidate'] for r in sweep.rows})))}; "
            f"temperatures {escape(', '.join(f'{t:g}' for t in sweep.temperatures()))} °C; "
            f"events {escape(', '.join(repr(x) for x in sweep.events))}.")


def section_title(sweep, key):
    g, t, e = key
    title = f"{t:g} °C, event '{e}'"
    if sweep.many_groups():
        title += f", {sweep.group_label(g)}"
    return title


def notes_for(rows):
    """The notes of these cases, each once."""
    return unique(n for r in rows for n in r["_notes"])


def hre_notes(sweep):
    """How the HRE mass and cost were estimated (the candidates' notes), each once."""
    return unique(n for r in sweep.rows for n in r["_hre_notes"])


def md_escape(s):
    return str(s).replace("|", "\\|")


def markdown_text(sweep, ranked, figures):
    cols = human_columns(sweep)
    L = [f"# Sweep '{sweep.name}': ranking of the candidate magnets", ""]
    L.append(introduction(sweep, f"`{sweep.path}`"))
    L += ["", "## What was compared", ""] + [f"- **{k}**: {md_escape(v)}" for k, v in conditions(sweep)]
    L += ["", "**Ranking rule.** " + RULE, ""]
    temps, cands, tables = overview(sweep, ranked)
    L += ["## Overview: flux-linkage loss (✓ survives, ✗ demagnetizes)", ""]
    for head, b in tables:
        L += [f"{head}:", ""]
        L.append("| Candidate | " + " | ".join(f"{t:g} °C" for t in temps) + " |")
        L.append("|---|" + "---:|" * len(temps))
        for c in cands:
            if c in b:
                L.append(f"| {md_escape(c)} | " + " | ".join(b[c].get(t, "") for t in temps) + " |")
        L.append("")
    L += ["## Ranking per temperature and load event", ""]
    for key, rows in ranked.items():
        L += [f"### {section_title(sweep, key)}", ""]
        L.append("| " + " | ".join(h for h, _ in cols) + " |")
        L.append("|" + "|".join("---" if h in TEXT_COLUMNS else "---:" for h, _ in cols) + "|")
        for r in rows:
            L.append("| " + " | ".join(md_escape(f(r)) for _, f in cols) + " |")
        notes = notes_for(rows)
        if notes:
            L += ["", "Notes of these cases:", ""] + [f"- {md_escape(x)}" for x in notes]
        L.append("")
    L += ["## Columns", ""] + [f"- **{k}**: {v}." for k, v in LEGEND]
    hn = hre_notes(sweep)
    if hn:
        L += ["", "HRE mass and cost:", ""] + [f"- {x}" for x in hn]
    L += ["", "## Figures", ""]
    for png, caption in figures:
        L += [f"![{caption}]({png})", "", f"*{caption}*", ""]
    L += ["Full precision, every column: `ranking.csv`. Meaning of the figures: docs/demagnetization.md.", ""]
    return "\n".join(L)


CSS = """
body { font-family: sans-serif; margin: 1.2em 1.5em; color: #222; line-height: 1.35; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; margin-top: 1.4em; } h3 { font-size: 1.05em; }
.wide { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.5em 0 1em 0; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.4em; }
th { background: #eee; font-weight: 600; vertical-align: bottom; }
td.num { text-align: right; white-space: nowrap; }
td.text { max-width: 11em; }
tr.survives td.verdict { background: #d8f0d8; }
tr.demagnetizes td.verdict { background: #f6d5d5; }
tr.failed td { color: #888; font-style: italic; }
td.ok { background: #e6f4e6; text-align: right; white-space: nowrap; }
td.bad { background: #f8e0e0; text-align: right; white-space: nowrap; }
td.flags { color: #a05a00; max-width: 9em; }
table.facts { font-size: 0.9em; max-width: 80em; }
table.facts th { text-align: left; white-space: nowrap; vertical-align: top; background: #f4f4f4; }
table.facts td { vertical-align: top; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; margin: 0.5em 0; }
figure { margin: 0 0 1.5em 0; }
figcaption { font-style: italic; max-width: 80em; }
.rule { background: #f4f4f4; padding: 0.6em; border-left: 4px solid #888; max-width: 80em; }
ul.notes { font-size: 0.85em; color: #444; max-width: 80em; }
"""


def html_text(sweep, ranked, figures):
    e = html.escape
    cols = human_columns(sweep)
    H = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
         f"<title>Sweep {e(sweep.name)}: ranking</title><style>{CSS}</style></head><body>",
         f"<h1>Sweep '{e(sweep.name)}': ranking of the candidate magnets</h1>",
         "<p>" + introduction(sweep, f"<code>{e(sweep.path)}</code>", e) + "</p>",
         "<h2>What was compared</h2><div class=\"wide\"><table class=\"facts\" id=\"conditions\">" +
         "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in conditions(sweep)) + "</table></div>",
         "<p class=\"rule\"><b>Ranking rule.</b> " + e(RULE).replace("**survive**", "<b>survive</b>")
         .replace("**demagnetizes**", "<b>demagnetizes</b>") + "</p>"]
    temps, cands, tables = overview(sweep, ranked)
    H.append("<h2>Overview: flux-linkage loss (✓ survives, ✗ demagnetizes)</h2>")
    for head, b in tables:
        H.append(f"<p>{e(head)}:</p><div class=\"wide\"><table><tr><th>Candidate</th>" +
                 "".join(f"<th>{t:g} °C</th>" for t in temps) + "</tr>")
        for c in cands:
            if c not in b:
                continue
            cells = []
            for t in temps:
                v = b[c].get(t, "")
                cls = "ok" if v.startswith("✓") else ("bad" if v.startswith("✗") else "num")
                cells.append(f"<td class=\"{cls}\">{e(v)}</td>")
            H.append(f"<tr><td>{e(c)}</td>{''.join(cells)}</tr>")
        H.append("</table></div>")
    H.append("<h2>Ranking per temperature and load event</h2>")
    for key, rows in ranked.items():
        H.append(f"<h3>{e(section_title(sweep, key))}</h3><div class=\"wide\"><table class=\"ranking\"><tr>" +
                 "".join(f"<th>{e(h)}</th>" for h, _ in cols) + "</tr>")
        for r in rows:
            cells = []
            for h, f in cols:
                cls = ("verdict" if h == "Verdict" else "flags" if h == "Flags" else "text" if h in TEXT_COLUMNS
                       else "num")
                title = ""
                if h == "Case" and r["_notes"]:
                    title = f" title=\"{e(' | '.join(r['_notes']))}\""
                cells.append(f"<td class=\"{cls}\"{title}>{e(f(r))}</td>")
            H.append(f"<tr class=\"{e(verdict(r).replace(' ', '-'))}\">{''.join(cells)}</tr>")
        H.append("</table></div>")
        notes = notes_for(rows)
        if notes:
            H.append("<details><summary>Notes of these cases</summary><ul class=\"notes\">" +
                     "".join(f"<li>{e(x)}</li>" for x in notes) + "</ul></details>")
    H.append("<h2>Columns</h2><ul>" + "".join(f"<li><b>{e(k)}</b>: {e(v)}.</li>" for k, v in LEGEND) + "</ul>")
    hn = hre_notes(sweep)
    if hn:
        H.append("<p>HRE mass and cost:</p><ul class=\"notes\">" + "".join(f"<li>{e(x)}</li>" for x in hn) +
                 "</ul>")
    H.append("<h2>Figures</h2>")
    for png, caption in figures:
        H.append(f"<figure><a href=\"{e(png)}\"><img src=\"{e(png)}\" alt=\"{e(caption)}\"></a>"
                 f"<figcaption>{e(caption)} (Click for full size.)</figcaption></figure>")
    H.append("<p>Full precision, every column: <a href=\"ranking.csv\">ranking.csv</a>. Meaning of the figures: "
             "docs/demagnetization.md.</p></body></html>")
    return "\n".join(H) + "\n"
