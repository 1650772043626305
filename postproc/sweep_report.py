#!/usr/bin/python3
"""Rank the candidate magnets of a merged sweep: tables and plots.

    /usr/bin/python3 postproc/sweep_report.py DIR/NAME.hdf -o OUTDIR

(`rotormag report DIR` merges DIR and runs this.) Reads the merged file
(postproc/sweep_results.hpp: /Sweep/table, /Sweep/plan, /Sweep/cases/<id>,
/VTKHDF) and writes into OUTDIR, each file atomically:

  ranking.csv       one row per case, ranked within each (temperature, load
                    event, geometry group); numbers in full precision
  ranking.md        the same ranking as Markdown tables, with the rule, an
                    overview (candidate x temperature) and the cases' notes
  ranking.html      the same, self-contained, the PNGs referenced relatively
  demag_volume_vs_temperature.png
                    % of the magnet volume with demag_coef < 0.99 versus the
                    magnet temperature, one line per candidate
  flux_loss_vs_hre.png
                    no-load flux-linkage loss versus HRE (Dy + Tb) mass and
                    versus HRE cost per rotor, one marker per candidate and
                    temperature
  margin_maps.png   margin Hk - h over the magnets (machine at 0 deg) of the
                    top candidates at the hottest temperature, worst magnet
                    outlined

Ranking rule, within each (temperature, event, geometry group): the
candidates that survive (flux_linkage_loss_pct < 1 %: no significant
irreversible loss) first, by HRE cost ascending; then the others by flux
loss ascending; failed cases last, unranked. Meaning of the figures:
docs/demagnetization.md. Needs Debian's python3-h5py, python3-numpy and
python3-matplotlib (Agg backend, no display).
"""

import os
import sys

SCRIPT = "sweep_report.py"
SYSTEM_PYTHON = "/usr/bin/python3"

try:
    import h5py
    import numpy as np
    import matplotlib
except ImportError as _e:  # e.g. a pyenv python3 first on PATH: use Debian's
    if (os.path.exists(SYSTEM_PYTHON) and not os.environ.get("ROTORMAG_REPORT_REEXEC")
            and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)):
        os.environ["ROTORMAG_REPORT_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    print(f"{SCRIPT}: {_e}: the report needs h5py, numpy and matplotlib "
          "(Debian: python3-h5py python3-matplotlib; run it with /usr/bin/python3)", file=sys.stderr)
    sys.exit(1)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.transforms as mtransforms  # noqa: E402
import matplotlib.tri as mtri  # noqa: E402
from matplotlib.colors import ListedColormap, Normalize, TwoSlopeNorm  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator, ScalarFormatter  # noqa: E402

import argparse  # noqa: E402
import csv  # noqa: E402
import html  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402

try:
    import tomllib  # Python >= 3.11
except ImportError:  # pragma: no cover
    tomllib = None

SURVIVAL_LOSS_PCT = 1.0   # flux_linkage_loss_pct below this: survives
TOP_MAPS = 3              # margin maps of this many top candidates
VTK_TRIANGLE, VTK_QUADRATIC_TRIANGLE = 5, 22

PNG_VOLUME = "demag_volume_vs_temperature.png"
PNG_FLUX = "flux_loss_vs_hre.png"
PNG_MARGIN = "margin_maps.png"


def fail(message):
    print(f"{SCRIPT}: {message}", file=sys.stderr)
    sys.exit(1)


def text_of(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def finite(v):
    return v is not None and isinstance(v, float) and math.isfinite(v)


# ---------------------------------------------------------------- reading

class Sweep:
    """The merged file's table, plan, summaries and the grid at 0 deg."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            fail(f"{path}: no such file")
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            fail(f"{path}: not an HDF5 file ({e})")
        with f:
            if "Sweep" not in f or not isinstance(f["Sweep"], h5py.Group):
                fail(f"{path}: not a merged sweep file (no /Sweep group); "
                     "merge the sweep directory first (rotormag merge DIR)")
            s = f["Sweep"]
            complete = s.attrs.get("complete")
            try:
                complete = int(np.asarray(complete).reshape(-1)[0]) if complete is not None else None
            except (TypeError, ValueError, IndexError):
                complete = None
            if complete != 1:
                fail(f"{path}: the merged sweep file is incomplete (/Sweep@complete is "
                     f"{'missing' if complete is None else complete}, not 1): merge again (rotormag merge DIR)")
            try:
                self._read(f, s)
            except (KeyError, ValueError, TypeError) as e:
                fail(f"{path}: unreadable merged sweep file ({type(e).__name__}: {e})")

    def _read(self, f, s):
        self.name = text_of(s.attrs.get("name", os.path.splitext(os.path.basename(self.path))[0]))
        self.plan = json.loads(text_of(s["plan"][()]))
        columns = [text_of(c) for c in s["table_columns"][()]]
        table = s["table"]
        self.columns = columns
        self.units = {c: text_of(table[c].attrs.get("units", "")) for c in columns}
        data = {}
        for c in columns:
            d = table[c][()]
            if d.dtype.kind in "fiu":
                data[c] = [float(v) for v in d]
            else:
                data[c] = [text_of(v) for v in d]
        n = len(data["case_id"])
        self.rows = [{c: data[c][i] for c in columns} for i in range(n)]
        self.geometry_keys = list(self.plan.get("geometry_keys", []))
        self.groups = list(self.plan.get("groups", [{}]))
        self.events = list(self.plan.get("events", []))
        for r in self.rows:
            cid = r["case_id"]
            summary, case = None, {}
            if "cases" in s and cid in s["cases"]:
                g = s["cases"][cid]
                if "summary_json" in g:
                    summary = json.loads(text_of(g["summary_json"][()]))
                if "case_toml" in g and tomllib is not None:
                    try:
                        case = tomllib.loads(text_of(g["case_toml"][()]))
                    except tomllib.TOMLDecodeError:
                        case = {}
            r["_summary"] = summary
            r["_find_onset"] = bool(case.get("demag", {}).get("find_onset", True)) if case else None
            r["_temperature_row"] = {}
            if summary and "demag" in summary:
                try:
                    r["_temperature_row"] = summary["demag"]["candidates"][0]["temperatures"][0]
                    r["_candidate_entry"] = summary["demag"]["candidates"][0]
                except (KeyError, IndexError, TypeError):
                    pass
            notes = list(r["_temperature_row"].get("notes", []) or [])
            notes += list(r.get("_candidate_entry", {}).get("warnings", []) or [])
            hre_notes = r.get("_candidate_entry", {}).get("hre", {}).get("notes", []) or []
            r["_notes"] = notes
            r["_hre_notes"] = list(hre_notes)
            dy, tb = r.get("Dy_kg", math.nan), r.get("Tb_kg", math.nan)
            r["hre_kg"] = (0.0 if not finite(dy) else dy) + (0.0 if not finite(tb) else tb) \
                if (finite(dy) or finite(tb)) else math.nan
            r["group"] = int(r["group"]) if finite(r.get("group")) else 0
        self._read_grid(f)

    def _read_grid(self, f):
        self.grid = None
        if "VTKHDF" not in f:
            return
        v = f["VTKHDF"]
        points = v["Points"][()][:, :2] * 1e3  # mm
        conn = v["Connectivity"][()]
        offsets = v["Offsets"][()]
        types = v["Types"][()]
        if not np.all(np.isin(types, (VTK_TRIANGLE, VTK_QUADRATIC_TRIANGLE))):
            raise ValueError("/VTKHDF: cells other than (quadratic) triangles")
        # corners: the first 3 nodes of each cell (P2 cells have 6)
        tri = np.stack([conn[offsets[:-1] + k] for k in range(3)], axis=1)
        cd = v["CellData"]
        self.grid = {"points": points, "triangles": tri, "cd": cd.name}
        self._cell_names = set(cd.keys())
        self._file = self.path

    def cell_array(self, name):
        if self.grid is None or name not in self._cell_names:
            return None
        with h5py.File(self._file, "r") as f:
            return f[self.grid["cd"]][name][()]


# ---------------------------------------------------------------- ranking

def verdict(r):
    if r.get("status") != "done":
        return "failed"
    loss = r.get("flux_linkage_loss_pct")
    if not finite(loss):
        return "no result"
    return "survives" if loss < SURVIVAL_LOSS_PCT else "demagnetizes"


def rank_key(r):
    v = verdict(r)
    cost = r.get("hre_cost")
    loss = r.get("flux_linkage_loss_pct")
    if v == "survives":
        return (0, cost if finite(cost) else math.inf, r["candidate"])
    if v == "demagnetizes":
        return (1, loss, r["candidate"])
    if v == "no result":
        return (2, 0.0, r["candidate"])
    return (3, 0.0, r["candidate"])


def sections(sweep):
    """(group, temperature, event) -> ranked rows; keys in display order."""
    event_order = {e: i for i, e in enumerate(sweep.events)}
    out = {}
    for r in sweep.rows:
        out.setdefault((r["group"], r["temperature_C"], r["event"]), []).append(r)
    keys = sorted(out, key=lambda k: (k[0], k[1], event_order.get(k[2], len(event_order)), k[2]))
    ranked = {}
    for k in keys:
        rows = sorted(out[k], key=rank_key)
        n = 0
        for r in rows:
            if verdict(r) in ("survives", "demagnetizes"):
                n += 1
                r["rank"] = n
            else:
                r["rank"] = None
        ranked[k] = rows
    return ranked


def group_label(sweep, g, short=False):
    geometry = sweep.groups[g] if 0 <= g < len(sweep.groups) else {}
    if not geometry:
        return "base geometry" if not short else f"g{g}"
    parts = [f"{k.split('.')[-1]} = {geometry[k]:g}" if isinstance(geometry[k], (int, float))
             else f"{k.split('.')[-1]} = {geometry[k]}" for k in sweep.geometry_keys if k in geometry]
    return (f"group {g}: " if not short else f"g{g} ") + ", ".join(parts)


def many_groups(sweep):
    return len({r["group"] for r in sweep.rows}) > 1 or bool(sweep.geometry_keys)


# ---------------------------------------------------------------- formatting

def fmt(v, digits=2, scale=1.0, small=True):
    if not finite(v):
        return "—"
    x = v * scale
    if small and x != 0 and abs(x) < 0.5 * 10 ** (-digits):
        return f"<{10 ** (-digits):.{digits}f}" if x > 0 else f">-{10 ** (-digits):.{digits}f}"
    return f"{x:.{digits}f}"


def onset_text(r, key, digits):
    v = r.get(key)
    if finite(v):
        return f"{v:.{digits}f}"
    if r.get("status") != "done":
        return "—"
    if r.get("_find_onset") is False:
        return "not computed"
    return "not found"


# Flags read from a case's notes (summary.json demag...temperatures[0].notes): the temperature outside the
# range the grade's alpha and beta were measured over, above its maximum working temperature, HcJ clamped.
NOTE_FLAGS = [
    ("temperature_extrapolated", "T extrapolated", re.compile(r"is outside .*the range alpha and beta were measured")),
    ("above_max_working_temperature", "above Tmax", re.compile(r"above the grade's maximum working temperature")),
    ("hcj_clamped", "HcJ clamped", re.compile(r"gives HcJ .*clamped")),
]


def note_flag(r, key):
    if r.get("status") != "done":
        return None
    for k, _, pattern in NOTE_FLAGS:
        if k == key:
            return any(pattern.search(n) for n in r["_notes"])
    return None


def flags_text(r):
    f = []
    if r.get("low_confidence") == 1.0:
        f.append("low confidence")
    if r.get("outside_data") == 1.0:
        f.append("outside data")
    for key, label, _ in NOTE_FLAGS:
        if note_flag(r, key):
            f.append(label)
    return ", ".join(f)


def currency_of(sweep):
    c = sorted({r.get("currency", "") for r in sweep.rows if r.get("currency")})
    return "/".join(c) if c else "currency?"


# The human table: (header, cell function)
def human_columns(sweep):
    cur = currency_of(sweep)
    return [
        ("Rank", lambda r: str(r["rank"]) if r["rank"] else "—"),
        ("Candidate", lambda r: r["candidate"]),
        ("Grade", lambda r: r.get("material") or "—"),
        ("Verdict", verdict),
        ("ψd no load (mWb)", lambda r: fmt(r.get("psi_d_no_load_before_Wb"), 1, 1e3)),
        ("Flux loss (%)", lambda r: fmt(r.get("flux_linkage_loss_pct"), 2)),
        ("Torque, rated load (N·m)", lambda r: fmt(r.get("torque_before_Nm"), 1)),
        ("Torque loss (%)", lambda r: fmt(r.get("torque_loss_pct"), 2)),
        ("Demag. volume (%)", lambda r: fmt(r.get("volume_pct_coef_below_0_99"), 1)),
        ("Min margin (kA/m)", lambda r: fmt(r.get("min_margin_kA_per_m"), 1, small=False)),
        ("at", lambda r: r.get("min_margin_region") or "—"),
        ("Onset current (A)", lambda r: onset_text(r, "onset_current_A", 1)),
        ("Onset temp. (°C)", lambda r: onset_text(r, "onset_temperature_C", 0)),
        ("Dy (kg)", lambda r: fmt(r.get("Dy_kg"), 4, small=False)),
        ("Tb (kg)", lambda r: fmt(r.get("Tb_kg"), 4, small=False)),
        ("HRE (kg)", lambda r: fmt(r.get("hre_kg"), 4, small=False)),
        (f"HRE cost ({cur})", lambda r: fmt(r.get("hre_cost"), 2, small=False)),
        ("Magnets (kg)", lambda r: fmt(r.get("magnet_kg"), 3, small=False)),
        ("Flags", flags_text),
        ("Case", lambda r: r["case_id"]),
    ]


CSV_COLUMNS = [
    "rank", "verdict", "group", "temperature_C", "event", "candidate", "material", "case_id", "status",
    "psi_d_no_load_before_Wb", "psi_d_no_load_after_Wb", "flux_linkage_loss_pct", "back_emf_fundamental_loss_pct",
    "torque_before_Nm", "torque_after_Nm", "torque_loss_pct",
    "volume_pct_coef_below_0_99", "volume_pct_coef_below_0_95", "volume_pct_coef_below_0_90",
    "min_margin_kA_per_m", "min_margin_region", "onset_current_A", "onset_temperature_C", "onset_note",
    "magnet_kg", "Dy_kg", "Tb_kg", "hre_kg", "hre_cost", "currency", "low_confidence", "outside_data",
] + [k for k, _, _ in NOTE_FLAGS] + ["notes"]


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


RULE = (f"Within each temperature, load event and geometry group: the candidates that **survive** "
        f"(no-load flux-linkage loss < {SURVIVAL_LOSS_PCT:g} %, i.e. no significant irreversible loss) come first, "
        f"by HRE cost per rotor ascending; then the others (**demagnetizes**) by flux-linkage loss ascending. "
        f"Failed cases (status other than done) are listed last, unranked.")

LEGEND = [
    ("ψd no load", "the d-axis no-load flux linkage (fundamental, mean over six positions) of the undamaged "
                   "candidate magnets at the temperature"),
    ("Flux loss", "1 − ψd,after/ψd,before at no load after the load event: the back-EMF fundamental loses "
                  "the same fraction; above 100 % the damaged magnets' flux has reversed"),
    ("Torque, rated load", "mean torque at the case's rated_load with undamaged magnets; torque loss: "
                           "after the event"),
    ("Demag. volume", "% of the magnet volume with demag_coef = Br'/Br(T) < 0.99"),
    ("Min margin", "smallest Hk − h over the magnet elements after the events (< 0: past the knee) and "
                   "the region it is in"),
    ("Onset current / temp.", "the largest current (A, peak) / highest temperature of the worst event "
                              "without 1 % loss in any element; \"not computed\": find_onset = false; "
                              "\"not found\": beyond the search range"),
    ("HRE", "heavy rare earth (Dy + Tb) per rotor, bulk and GBD uptake; cost: rare-earth raw material at "
            "the price scenario (an estimate, see the notes)"),
    ("Flags", "low confidence: estimated inputs; outside data: a composition relation extrapolated "
              "(docs/magnet-model.md) (both from the candidate); from the case's notes: T extrapolated: the "
              "temperature is outside the range the grade's alpha and beta were measured over; above Tmax: above "
              "the grade's maximum working temperature (a catalogue rating); HcJ clamped: the linear beta law "
              "gave HcJ <= 2 % of HcJ20"),
]


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
    if many_groups(sweep):
        title += f", {group_label(sweep, g)}"
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
        head = f"Event '{e}'" + (f", {group_label(sweep, g)}" if many_groups(sweep) else "")
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
        head = f"Event '{ev}'" + (f", {group_label(sweep, g)}" if many_groups(sweep) else "")
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


# ---------------------------------------------------------------- plots

def series_of(sweep):
    """(candidate, group) series in table order, with a colour each."""
    keys = []
    for r in sweep.rows:
        k = (r["candidate"], r["group"])
        if k not in keys:
            keys.append(k)
    cmap = plt.get_cmap("tab10" if len(keys) <= 10 else "tab20")
    colours = {k: cmap(i % cmap.N) for i, k in enumerate(keys)}
    return keys, colours


MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p"]


def series_label(sweep, key):
    cand, g = key
    return f"{cand}, g{g}" if many_groups(sweep) else cand


def group_legend(fig, sweep):
    """A legend naming the geometry groups (g0: key = value ...), or None with one group."""
    if not many_groups(sweep):
        return None
    gs = sorted({r["group"] for r in sweep.rows})
    return fig.legend(handles=[Line2D([], [], ls="") for _ in gs],
                      labels=[group_label(sweep, g, short=True).replace(f"g{g} ", f"g{g}: ", 1) for g in gs],
                      loc="upper left", bbox_to_anchor=(1.0, 0.5), title="geometry group", fontsize=9,
                      frameon=False, handlelength=0, handletextpad=0)


def no_data(ax, message):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="grey")


def plot_volume(sweep):
    events = sweep.events or sorted({r["event"] for r in sweep.rows})
    keys, colours = series_of(sweep)
    fig, axes = plt.subplots(1, len(events), figsize=(6.0 * len(events), 4.6), squeeze=False)
    temps_all = sorted({r["temperature_C"] for r in sweep.rows})
    failed_any = False
    for ax, ev in zip(axes[0], events):
        drawn = False
        for i, k in enumerate(keys):
            rows = sorted((r for r in sweep.rows if (r["candidate"], r["group"]) == k and r["event"] == ev),
                          key=lambda r: r["temperature_C"])
            t = np.array([r["temperature_C"] for r in rows])
            v = np.array([r.get("volume_pct_coef_below_0_99", math.nan) if r.get("status") == "done" else math.nan
                          for r in rows])
            if len(t) == 0:
                continue
            ax.plot(t, v, marker=MARKERS[i % len(MARKERS)], color=colours[k], lw=1.6, ms=max(4.0, 9.0 - 1.2 * i),
                    label=series_label(sweep, k))
            bad = [r["temperature_C"] for r in rows if r.get("status") != "done"]
            if bad:
                failed_any = True
                ax.plot(bad, [0] * len(bad), "x", color=colours[k], ms=9, mew=2, clip_on=False,
                        transform=ax.get_xaxis_transform())  # on the bottom axis: no value
            drawn = drawn or np.isfinite(v).any()
        ax.set_title(f"event '{ev}'")
        ax.set_xlabel("magnet temperature (°C)")
        ax.set_ylabel("demagnetized volume (% of the magnets)")
        ax.set_ylim(-3, 103)
        if temps_all:
            span = max(temps_all) - min(temps_all) or 10.0
            ax.set_xlim(min(temps_all) - 0.05 * span, max(temps_all) + 0.05 * span)
            ax.set_xticks(temps_all)
        ax.grid(True, alpha=0.3)
        if not drawn:
            no_data(ax, "no finished case")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if failed_any:
        handles.append(Line2D([], [], ls="", marker="x", color="black", ms=8, mew=2))
        labels.append("failed case")
    fig.suptitle(f"Sweep '{sweep.name}': magnet volume with demag_coef < 0.99 after the load event")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    # legends right of the axes (savefig's tight bounding box takes them in)
    leg = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 0.9), title="candidate", fontsize=9,
                     frameon=False)
    stack_legends(fig, [x for x in (leg, group_legend(fig, sweep)) if x is not None], top=0.9)
    return fig


def clusters(xs, tolerance):
    """Indices of xs grouped where neighbours lie within tolerance (sorted by x)."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    out = []
    for i in order:
        if out and xs[i] - xs[out[-1][-1]] <= tolerance:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def stack_legends(fig, legends, top=0.93, gap=0.03):
    """Place figure legends one below the other from `top` (figure fraction)."""
    renderer = fig.canvas.get_renderer()
    y = top
    for leg in legends:
        leg.set_bbox_to_anchor((leg.get_bbox_to_anchor().x0 / fig.bbox.width, y), transform=fig.transFigure)
        h = leg.get_window_extent(renderer).height / fig.bbox.height
        y -= h + gap


def plot_flux_loss(sweep):
    events = sweep.events or sorted({r["event"] for r in sweep.rows})
    keys, _ = series_of(sweep)
    temps = sorted({r["temperature_C"] for r in sweep.rows})
    tcmap = plt.get_cmap("plasma")
    tcol = {t: tcmap(0.1 + 0.75 * (i / max(1, len(temps) - 1))) for i, t in enumerate(temps)}
    cur = currency_of(sweep)
    fig, axes = plt.subplots(len(events), 2, figsize=(12.0, 4.8 * len(events) + 0.6), squeeze=False)
    losses = [r.get("flux_linkage_loss_pct") for r in sweep.rows if r.get("status") == "done"]
    losses = [x for x in losses if finite(x)]
    use_symlog = bool(losses) and max(losses) > 20 * SURVIVAL_LOSS_PCT
    step_t = 5.0                                  # points between the temperatures of a candidate
    step_c = step_t * max(1, len(temps)) + 6.0    # points between candidates at (nearly) the same x
    top_axes = []
    for row, ev in zip(axes, events):
        for ax, xkey, xlabel in ((row[0], "hre_kg", "HRE per rotor, Dy + Tb (kg)"),
                                 (row[1], "hre_cost", f"HRE cost per rotor ({cur})")):
            # each series' x (its HRE mass or cost; one value per candidate and group)
            xs_all = [r.get(xkey) for r in sweep.rows if finite(r.get(xkey))]
            xmax = max(max(xs_all), 1e-9) if xs_all else 1.0
            xlo = min(0.0, min(xs_all)) - 0.04 * xmax if xs_all else 0.0
            ax.set_xlim(xlo, xmax * 1.06)
            sx = {}
            for k in keys:
                xs = [r.get(xkey) for r in sweep.rows if (r["candidate"], r["group"]) == k and finite(r.get(xkey))]
                if xs:
                    sx[k] = float(np.median(xs))
            skeys = list(sx)
            # series closer than 2 % of the axis share a cluster: dodged sideways, one label
            groups = clusters([sx[k] for k in skeys], 0.04 * (xmax * 1.06 - xlo))
            dodge, labels = {}, []
            for members in groups:
                for j, m in enumerate(members):
                    dodge[skeys[m]] = (j - (len(members) - 1) / 2) * step_c
                labels.append((float(np.mean([sx[skeys[m]] for m in members])),
                               "; ".join(series_label(sweep, skeys[m]) for m in members)))
            any_point = False
            for i, k in enumerate(keys):
                for r in sweep.rows:
                    if (r["candidate"], r["group"]) != k or r["event"] != ev or r.get("status") != "done":
                        continue
                    x, y = r.get(xkey), r.get("flux_linkage_loss_pct")
                    if not (finite(x) and finite(y)):
                        continue
                    ti = temps.index(r["temperature_C"])
                    dx = dodge.get(k, 0.0) + (ti - (len(temps) - 1) / 2) * step_t
                    tr = mtransforms.offset_copy(ax.transData, fig=fig, x=dx, y=0.0, units="points")
                    ax.plot([x], [max(y, 0.0) if use_symlog else y], ls="", marker=MARKERS[i % len(MARKERS)],
                            ms=8, mfc=tcol[r["temperature_C"]], mec="black", mew=0.6, alpha=0.9, transform=tr)
                    any_point = True
            ax.axhline(SURVIVAL_LOSS_PCT, color="green", ls="--", lw=1)
            ax.text(0.01, SURVIVAL_LOSS_PCT, f" survival limit {SURVIVAL_LOSS_PCT:g} %", color="green",
                    va="bottom", ha="left", fontsize=8, transform=ax.get_yaxis_transform())
            if use_symlog:
                ax.set_yscale("symlog", linthresh=1.0, linscale=0.6)
                ax.yaxis.set_major_formatter(ScalarFormatter())
                ax.set_ylim(-0.1, max(losses) * 1.8)
            ax.set_xlabel(xlabel)
            ax.set_ylabel("no-load flux-linkage loss (%)")
            ax.set_title(f"event '{ev}': versus HRE {'mass' if xkey == 'hre_kg' else 'cost'}", fontsize=11)
            ax.grid(True, alpha=0.3)
            if not any_point:
                no_data(ax, "no finished case")
            if labels:  # candidate names on the top axis, at their HRE mass / cost
                top = ax.secondary_xaxis("top")
                top_axes.append((ax, top))
                top.set_xticks([x for x, _ in labels], labels=[t for _, t in labels], fontsize=8, rotation=30,
                               ha="left")
    cand_handles = [Line2D([], [], ls="", marker=MARKERS[i % len(MARKERS)], mfc="white", mec="black", ms=8,
                           label=series_label(sweep, k)) for i, k in enumerate(keys)]
    temp_handles = [Line2D([], [], ls="", marker="o", mfc=tcol[t], mec="black", ms=8, label=f"{t:g} °C")
                    for t in temps]
    leg1 = fig.legend(handles=cand_handles, loc="upper left", bbox_to_anchor=(1.0, 0.93), title="candidate",
                      fontsize=9, frameon=False)
    leg2 = fig.legend(handles=temp_handles, loc="upper left", bbox_to_anchor=(1.0, 0.5),
                      title="magnet temperature", fontsize=9, frameon=False)
    scale_note = " (symlog axis: linear below 1 %)" if use_symlog else ""
    fig.suptitle(f"Sweep '{sweep.name}': no-load flux-linkage loss after the load event versus heavy rare earth"
                 f"{scale_note}\n(markers of one candidate side by side by temperature, coldest left)",
                 fontsize=11)
    # the two panels of a row: titles at the same height (above the taller candidate labels)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    label_pts = [(sec.get_tightbbox(renderer).y1 - ax.get_window_extent(renderer).y1) * 72.0 / fig.dpi
                 for ax, sec in top_axes]
    pad = max(label_pts, default=0.0) + 6.0
    for row in axes:
        for ax in row:
            ax.set_title(ax.get_title(), y=1.0, pad=pad, fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    stack_legends(fig, [x for x in (leg1, leg2, group_legend(fig, sweep)) if x is not None])
    return fig


def top_candidates(sweep, temperature):
    """(candidate, group) pairs at the temperature ranked by the rule on their worst event; each with its
    worst case (lowest minimum margin)."""
    per = {}
    for r in sweep.rows:
        if r["temperature_C"] == temperature and r.get("status") == "done":
            per.setdefault((r["candidate"], r["group"]), []).append(r)
    ranked = []
    for k, rows in per.items():
        losses = [r.get("flux_linkage_loss_pct") for r in rows]
        worst_loss = max((x for x in losses if finite(x)), default=math.nan)
        # the worst event's case: the largest flux loss where it is significant, else the lowest margin
        def severity(r):
            loss = r.get("flux_linkage_loss_pct")
            margin = r.get("min_margin_kA_per_m")
            return (loss if finite(loss) and loss >= SURVIVAL_LOSS_PCT else -math.inf,
                    -margin if finite(margin) else -math.inf)
        worst = max(rows, key=severity)
        cost = rows[0].get("hre_cost")
        if finite(worst_loss) and worst_loss < SURVIVAL_LOSS_PCT:
            key = (0, cost if finite(cost) else math.inf)
        elif finite(worst_loss):
            key = (1, worst_loss)
        else:
            key = (2, 0.0)
        ranked.append((key, k, worst))
    ranked.sort(key=lambda x: (x[0], x[1][0]))
    return [(k, w) for _, k, w in ranked]


def boundary_segments(tri):
    """Edges used by one triangle only: the outline of a set of triangles."""
    edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
    uniq, count = np.unique(edges, axis=0, return_counts=True)
    return uniq[count == 1]


def plot_margin_maps(sweep):
    temps = sorted({r["temperature_C"] for r in sweep.rows if r.get("status") == "done"})
    if sweep.grid is None or not temps:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.axis("off")
        no_data(ax, "no finished case: no margin map" if not temps else "the merged file has no /VTKHDF grid")
        return fig
    hottest = temps[-1]
    top = top_candidates(sweep, hottest)[:TOP_MAPS]
    pts, tri = sweep.grid["points"], sweep.grid["triangles"]
    region = sweep.cell_array("region")
    panels = []
    for (cand, g), r in top:
        cid = r["case_id"]
        margin = sweep.cell_array(f"{cid}.margin")
        if margin is None:
            continue
        knee = sweep.cell_array(f"{cid}.knee_field")
        in_group = np.isfinite(margin)
        magnet = in_group & ((knee != 0) if knee is not None else (margin != 0))
        if not magnet.any():
            continue
        idx = np.flatnonzero(magnet)
        worst_cell = idx[np.argmin(margin[idx])]
        centroids = pts[tri].mean(axis=1)
        if region is not None:
            worst_magnet = idx[region[idx] == region[worst_cell]]
        else:
            worst_magnet = np.array([worst_cell])
        c = centroids[worst_magnet].mean(axis=0)
        rad = max(np.max(np.linalg.norm(pts[tri[worst_magnet]].reshape(-1, 2) - c, axis=1)), 1e-3)
        near = idx[np.linalg.norm(centroids[idx] - c, axis=1) < 3.0 * rad]
        view_pts = pts[tri[near]].reshape(-1, 2)
        lo, hi = view_pts.min(axis=0), view_pts.max(axis=0)
        pad = 0.08 * max(hi - lo)
        lo, hi = lo - pad, hi + pad
        panels.append(dict(cand=cand, group=g, row=r, margin=margin / 1e3, magnet=idx, in_group=in_group,
                           worst_magnet=worst_magnet, worst_cell=worst_cell, lo=lo, hi=hi))
    if not panels:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.axis("off")
        no_data(ax, f"no margin array for the candidates at {hottest:g} °C")
        return fig
    allm = np.concatenate([p["margin"][p["magnet"]] for p in panels])
    allm = allm[np.isfinite(allm)]
    vmin, vmax = (float(np.min(allm)), float(np.max(allm))) if allm.size else (-1.0, 1.0)
    base = plt.get_cmap("RdBu")  # red: below 0 (past the knee), white: 0, blue: margin left
    if vmin < 0 < vmax:  # neither side stretched more than 4x the other: a few kA/m are not full colour
        vmin, vmax = min(vmin, -0.25 * vmax), max(vmax, -0.25 * vmin)
        norm, cmap = TwoSlopeNorm(vmin=vmin, vcenter=0.0, vmax=vmax), base
    elif vmax <= 0:  # all past the knee: the red half, 0 white
        norm = Normalize(vmin=min(vmin, -1.0), vmax=0.0)
        cmap = ListedColormap(base(np.linspace(0.0, 0.5, 128)))
    else:  # all with margin left: the blue half, 0 white
        norm = Normalize(vmin=0.0, vmax=max(vmax, 1.0))
        cmap = ListedColormap(base(np.linspace(0.5, 1.0, 128)))
    n = len(panels)
    # panel size from the views' aspect
    aspect = max((p["hi"][1] - p["lo"][1]) / max(p["hi"][0] - p["lo"][0], 1e-9) for p in panels)
    w = 4.6
    h = min(max(w * aspect, 2.5), 7.0)
    fig, axes = plt.subplots(1, n, figsize=(w * n + 1.2, h + 1.5), squeeze=False)
    triang = mtri.Triangulation(pts[:, 0], pts[:, 1], tri)
    pc = None
    for ax, p, rank in zip(axes[0], panels, range(1, n + 1)):
        lo, hi = p["lo"], p["hi"]
        cen = pts[tri].mean(axis=1)
        inview = p["in_group"] & np.all((cen > lo - (hi - lo)) & (cen < hi + (hi - lo)), axis=1)
        other = np.flatnonzero(inview)
        other = other[~np.isin(other, p["magnet"])]
        if other.size:
            ax.triplot(mtri.Triangulation(pts[:, 0], pts[:, 1], tri[other]), color="0.8", lw=0.3)
        mask = np.ones(len(tri), dtype=bool)
        mask[p["magnet"]] = False
        triang.set_mask(mask)
        values = np.where(np.isfinite(p["margin"]), p["margin"], 0.0)
        pc = ax.tripcolor(triang, facecolors=values, cmap=cmap, norm=norm, edgecolors="face", lw=0.1)
        seg = boundary_segments(tri[p["worst_magnet"]])
        for a, b in seg:
            ax.plot(pts[[a, b], 0], pts[[a, b], 1], color="black", lw=1.4)
        wc = pts[tri[p["worst_cell"]]].mean(axis=0)
        ax.plot([wc[0]], [wc[1]], marker="x", color="black", ms=10, mew=2)
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_aspect("equal")
        ax.set_xlabel("x (mm)")
        ax.set_ylabel("y (mm)")
        r = p["row"]
        g = f", {group_label(sweep, p['group'], short=True)}" if many_groups(sweep) else ""
        ax.set_title(f"#{rank} {p['cand']} ({r.get('material') or '?'}){g}\n"
                     f"{r['case_id']}, {r['temperature_C']:g} °C, event '{r['event']}'\n"
                     f"flux loss {fmt(r.get('flux_linkage_loss_pct'), 2)} %, "
                     f"min margin {fmt(r.get('min_margin_kA_per_m'), 1, small=False)} kA/m\n"
                     f"worst magnet {r.get('min_margin_region') or '?'} (outlined, × at the minimum)",
                     fontsize=9)
    cb = fig.colorbar(pc, ax=list(axes[0]), fraction=0.04 / max(1, n) * 2, pad=0.03)
    if isinstance(norm, TwoSlopeNorm):  # ticks on both sides of 0
        ticks = np.unique(np.concatenate([MaxNLocator(4).tick_values(norm.vmin, 0.0),
                                          MaxNLocator(4).tick_values(0.0, norm.vmax)]))
        ticks = ticks[(ticks >= norm.vmin) & (ticks <= norm.vmax)]
        cb.set_ticks(ticks)
        cb.set_ticklabels([f"{t:.0f}" for t in ticks])
    cb.set_label("margin Hk − h (kA/m); < 0: past the knee")
    fig.suptitle(f"Sweep '{sweep.name}': magnet margin after the load events, top candidates at {hottest:g} °C "
                 "(machine at 0°)", fontsize=11)
    return fig


# ---------------------------------------------------------------- output

def write_atomically(path, writer):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text(path, text):
    write_atomically(path, lambda f: f.write(text.encode("utf-8")))


def write_figure(path, fig, dpi=110):
    try:
        write_atomically(path, lambda f: fig.savefig(f, format="png", dpi=dpi, bbox_inches="tight"))
    finally:
        plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(prog=SCRIPT, description="Rank the candidate magnets of a merged sweep "
                                 "(DIR/NAME.hdf): CSV, Markdown and HTML tables and PNG plots.")
    ap.add_argument("merged", help="the merged sweep file DIR/NAME.hdf")
    ap.add_argument("-o", "--output", required=True, help="report directory (created if missing)")
    args = ap.parse_args(argv)

    sweep = Sweep(args.merged)
    out = args.output
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        fail(f"{out}: cannot create the report directory ({e})")
    ranked = sections(sweep)
    temps = sorted({r["temperature_C"] for r in sweep.rows if r.get("status") == "done"})
    figures = [
        (PNG_VOLUME, "Demagnetized volume (demag_coef < 0.99) versus magnet temperature, per candidate."),
        (PNG_FLUX, "No-load flux-linkage loss versus HRE (Dy + Tb) mass and cost per rotor: one marker per "
                   "candidate (shape) and temperature (colour); the dashed line is the survival limit."),
        (PNG_MARGIN, "Margin Hk − h over the magnets (machine at 0°) of the top candidates at "
                     f"{temps[-1]:g} °C" if temps else "Margin maps (no finished case)."),
    ]
    written = []
    try:
        for name, text in (("ranking.csv", csv_text(sweep, ranked)),
                           ("ranking.md", markdown_text(sweep, ranked, figures)),
                           ("ranking.html", html_text(sweep, ranked, figures))):
            p = os.path.join(out, name)
            write_text(p, text)
            written.append(p)
        for name, make in ((PNG_VOLUME, plot_volume), (PNG_FLUX, plot_flux_loss), (PNG_MARGIN, plot_margin_maps)):
            p = os.path.join(out, name)
            write_figure(p, make(sweep))
            written.append(p)
    except OSError as e:
        fail(f"{getattr(e, 'filename', None) or out}: {e.strerror or e}")
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
