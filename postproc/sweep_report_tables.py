"""The ranking as text: ranking.csv, ranking.md and ranking.html.

The three show the same sections (sweep_report_ranking.sections) in the same order. The CSV is
for further work (every column, full precision); Markdown and HTML are for reading: an overview
(candidate x temperature), a table per section with the cases' notes, the columns explained and
the figures. The HTML is self-contained (CSS inline, the PNGs referenced relatively).
"""

import csv
import html
import io
import math

from sweep_report_columns import CSV_COLUMNS, LEGEND, NOTE_FLAGS, fmt, human_columns, note_flag
from sweep_report_merged import finite
from sweep_report_ranking import RULE, verdict


def csv_text(sweep, ranked):
    cols = CSV_COLUMNS[:3] + sweep.geometry_keys + CSV_COLUMNS[3:]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for rows in ranked.values():
        for r in rows:
            out = []
            for c in cols:
                if c == "rank":
                    out.append(r["rank"] if r["rank"] else "")
                elif c == "verdict":
                    out.append(verdict(r))
                elif c == "notes":
                    out.append(" | ".join(r["_notes"]))
                elif c == "onset_note":
                    missing = [k for k in ("onset_current_A", "onset_temperature_C") if not finite(r.get(k))]
                    out.append("" if r.get("status") != "done" or not missing else
                               "not computed (find_onset = false)" if r.get("_find_onset") is False else
                               "not found: " + ", ".join(missing))
                elif c in [k for k, _, _ in NOTE_FLAGS]:
                    v = note_flag(r, c)
                    out.append("" if v is None else int(v))
                elif c in sweep.geometry_keys:
                    v = sweep.groups[r["group"]].get(c) if r["group"] < len(sweep.groups) else None
                    out.append("" if v is None else v)
                else:
                    v = r.get(c, "")
                    if isinstance(v, float):
                        if c in ("low_confidence", "outside_data") and finite(v):
                            out.append(int(v))
                        else:
                            out.append(f"{v:.10g}" if math.isfinite(v) else "")
                    else:
                        out.append(v)
            w.writerow(out)
    return buf.getvalue()


def overview(sweep, ranked):
    """Per (group, event): candidate -> temperature -> cell text."""
    temps = sorted({r["temperature_C"] for r in sweep.rows})
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
    return temps, cands, blocks


def section_title(sweep, key):
    g, t, e = key
    title = f"{t:g} °C, event '{e}'"
    if sweep.many_groups():
        title += f", {sweep.group_label(g)}"
    return title


def notes_for(rows):
    seen, out = set(), []
    for r in rows:
        for n in r["_notes"]:
            if n not in seen:
                seen.add(n)
                out.append(n)
    return out


def hre_notes(sweep):
    seen, out = set(), []
    for r in sweep.rows:
        for n in r["_hre_notes"]:
            if n not in seen:
                seen.add(n)
                out.append(n)
    return out


def counts(sweep):
    failed = sum(1 for r in sweep.rows if r.get("status") != "done")
    return len(sweep.rows), failed


def md_escape(s):
    return str(s).replace("|", "\\|")


def markdown_text(sweep, ranked, figures):
    n, failed = counts(sweep)
    cols = human_columns(sweep)
    L = [f"# Sweep '{sweep.name}': ranking of the candidate magnets", ""]
    L.append(f"From `{sweep.path}`: {n} cases ({failed} failed), candidates "
             f"{', '.join(sorted({r['candidate'] for r in sweep.rows}))}; "
             f"temperatures {', '.join(f'{t:g}' for t in sorted({r['temperature_C'] for r in sweep.rows}))} °C; "
             f"events {', '.join(repr(e) for e in sweep.events)}.")
    L += ["", "**Ranking rule.** " + RULE, ""]
    temps, cands, blocks = overview(sweep, ranked)
    L += ["## Overview: flux-linkage loss (✓ survives, ✗ demagnetizes)", ""]
    for (g, e), b in sorted(blocks.items(), key=lambda kv: (kv[0][0], sweep.events.index(kv[0][1])
                                                               if kv[0][1] in sweep.events else 99)):
        head = f"Event '{e}'" + (f", {sweep.group_label(g)}" if sweep.many_groups() else "")
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
        L.append("|" + "|".join("---" if h in ("Candidate", "Grade", "Verdict", "at", "Flags", "Case") else "---:"
                                for h, _ in cols) + "|")
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
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em 0; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
tr.survives td.verdict { background: #d8f0d8; }
tr.demagnetizes td.verdict { background: #f6d5d5; }
tr.failed td { color: #888; font-style: italic; }
td.ok { background: #e6f4e6; text-align: right; }
td.bad { background: #f8e0e0; text-align: right; }
td.flags { color: #a05a00; }
img { max-width: 100%; border: 1px solid #ddd; margin: 0.5em 0; }
figcaption { font-style: italic; margin-bottom: 1.5em; }
.rule { background: #f4f4f4; padding: 0.6em; border-left: 4px solid #888; }
ul.notes { font-size: 0.85em; color: #444; }
"""


def html_text(sweep, ranked, figures):
    e = html.escape
    n, failed = counts(sweep)
    cols = human_columns(sweep)
    text_cols = {"Candidate", "Grade", "Verdict", "at", "Flags", "Case"}
    H = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
         f"<title>Sweep {e(sweep.name)}: ranking</title><style>{CSS}</style></head><body>",
         f"<h1>Sweep '{e(sweep.name)}': ranking of the candidate magnets</h1>",
         f"<p>From <code>{e(sweep.path)}</code>: {n} cases ({failed} failed), candidates "
         f"{e(', '.join(sorted({r['candidate'] for r in sweep.rows})))}; temperatures "
         f"{e(', '.join(f'{t:g}' for t in sorted({r['temperature_C'] for r in sweep.rows})))} °C; "
         f"events {e(', '.join(repr(x) for x in sweep.events))}.</p>",
         "<p class=\"rule\"><b>Ranking rule.</b> " + e(RULE).replace("**survive**", "<b>survive</b>")
         .replace("**demagnetizes**", "<b>demagnetizes</b>") + "</p>"]
    temps, cands, blocks = overview(sweep, ranked)
    H.append("<h2>Overview: flux-linkage loss (✓ survives, ✗ demagnetizes)</h2>")
    for (g, ev), b in sorted(blocks.items(), key=lambda kv: (kv[0][0], sweep.events.index(kv[0][1])
                                                                if kv[0][1] in sweep.events else 99)):
        head = f"Event '{ev}'" + (f", {sweep.group_label(g)}" if sweep.many_groups() else "")
        H.append(f"<p>{e(head)}:</p><table><tr><th>Candidate</th>" +
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
        H.append("</table>")
    H.append("<h2>Ranking per temperature and load event</h2>")
    for key, rows in ranked.items():
        H.append(f"<h3>{e(section_title(sweep, key))}</h3><table><tr>" +
                 "".join(f"<th>{e(h)}</th>" for h, _ in cols) + "</tr>")
        for r in rows:
            cells = []
            for h, f in cols:
                cls = "verdict" if h == "Verdict" else ("flags" if h == "Flags" else
                                                        ("" if h in text_cols else "num"))
                title = ""
                if h == "Case" and r["_notes"]:
                    title = f" title=\"{e(' | '.join(r['_notes']))}\""
                cells.append(f"<td class=\"{cls}\"{title}>{e(f(r))}</td>")
            H.append(f"<tr class=\"{e(verdict(r).replace(' ', '-'))}\">{''.join(cells)}</tr>")
        H.append("</table>")
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
        H.append(f"<figure><img src=\"{e(png)}\" alt=\"{e(caption)}\"><figcaption>{e(caption)}</figcaption>"
                 "</figure>")
    H.append("<p>Full precision, every column: <a href=\"ranking.csv\">ranking.csv</a>. Meaning of the figures: "
             "docs/demagnetization.md.</p></body></html>")
    return "\n".join(H) + "\n"
