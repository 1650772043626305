#!/usr/bin/python3
"""Rank the candidate magnets of a merged sweep: tables and plots.

    /usr/bin/python3 postproc/sweep_report.py DIR/NAME.hdf -o OUTDIR

(`rotormag report DIR` merges DIR and runs this.) Reads the merged file
(postproc/sweep_results.hpp: /Sweep/table, /Sweep/plan, /Sweep/cases/<id>,
/VTKHDF) and writes into OUTDIR, each file atomically:

  ranking.csv       one row per case, ranked within each (temperature, load
                    event, geometry group); numbers in full precision
  ranking.md        the same ranking as Markdown tables, with what was compared
                    (motor, mesh, load events and their currents, positions,
                    rated load, version and dates), the rule, an overview
                    (candidate x temperature) and the cases' notes
  ranking.html      the same, self-contained, the PNGs referenced relatively;
                    fits a 1400-px window (wide tables scroll in their box)
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
  onset_per_grade.png
                    onset current versus temperature and onset temperature,
                    per candidate and load event: what each grade can take
  jh_curves.png     per candidate and event, a colour per temperature: each
                    magnet element at its worst field with the remanence it
                    kept, and the knee Hk (with the solver's J(h) curve when
                    the summaries carry it)

Ranking, within each (temperature, event, geometry group): the candidates
that survive (no significant irreversible flux-linkage loss) first, by HRE
cost; then the others by flux loss; failed cases last, unranked (the rule
and its threshold: sweep_report_ranking.py). Meaning of the figures:
docs/demagnetization.md. Needs Debian's python3-h5py, python3-numpy and
python3-matplotlib (Agg backend, no display).

This file is the command line; the work is in its sibling modules, one concept each:

  sweep_report_merged.py       the merged file read into one row per case
  sweep_report_conditions.py   what was compared: motor, mesh, events, positions, software
  sweep_report_ranking.py      the verdict and the ranking rule
  sweep_report_columns.py      the tables' cells and columns, and what they mean
  sweep_report_tables.py       ranking.csv, ranking.md, ranking.html
  sweep_report_charts.py       the volume and flux-loss charts
  sweep_report_margin_maps.py  the margin maps
  sweep_report_onset.py        the onset current and temperature per candidate
  sweep_report_jh.py           the magnets' operating points and knee at temperature
  sweep_report_files.py        atomic writes
"""

import argparse
import importlib
import os
import sys

SCRIPT = "sweep_report.py"
SYSTEM_PYTHON = "/usr/bin/python3"

# Checked before the modules below import them: a python3 without them (e.g. a pyenv one first on
# PATH) hands over to Debian's, which has them, instead of failing with a traceback.
try:
    for _module in ("h5py", "numpy", "matplotlib"):
        importlib.import_module(_module)
except ImportError as _e:
    if (os.path.exists(SYSTEM_PYTHON) and not os.environ.get("ROTORMAG_REPORT_REEXEC")
            and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)):
        os.environ["ROTORMAG_REPORT_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
    print(f"{SCRIPT}: {_e}: the report needs h5py, numpy and matplotlib "
          "(Debian: python3-h5py python3-matplotlib; run it with /usr/bin/python3)", file=sys.stderr)
    sys.exit(1)

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # before pyplot is imported (by the plot modules): no display needed

from sweep_report_charts import plot_flux_loss, plot_volume  # noqa: E402
from sweep_report_files import write_figure, write_text  # noqa: E402
from sweep_report_jh import caption as jh_caption  # noqa: E402
from sweep_report_jh import plot_jh_curves  # noqa: E402
from sweep_report_margin_maps import plot_margin_maps  # noqa: E402
from sweep_report_merged import ReportError, Sweep  # noqa: E402
from sweep_report_onset import plot_onset  # noqa: E402
from sweep_report_ranking import sections  # noqa: E402
from sweep_report_tables import csv_text, html_text, markdown_text  # noqa: E402

PNG_VOLUME = "demag_volume_vs_temperature.png"
PNG_FLUX = "flux_loss_vs_hre.png"
PNG_MARGIN = "margin_maps.png"
PNG_ONSET = "onset_per_grade.png"
PNG_JH = "jh_curves.png"


def write_report(merged, out):
    """Reads the merged file, writes every file of the report into `out`; returns their paths."""
    sweep = Sweep(merged)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise ReportError(f"{out}: cannot create the report directory ({e})")
    ranked = sections(sweep)
    temps = sweep.finished_temperatures()
    figures = [
        (PNG_VOLUME, "Demagnetized volume (demag_coef < 0.99) versus magnet temperature, per candidate."),
        (PNG_FLUX, "No-load flux-linkage loss versus HRE (Dy + Tb) mass and cost per rotor: one marker per "
                   "candidate (shape) and temperature (colour); the dashed line is the survival limit."),
        (PNG_ONSET, "What each candidate can take: the onset current (largest current of the event without 1 % "
                    "loss in any element) against the magnet temperature, the event's current dashed; and the "
                    "onset temperature (the hottest magnet without that loss at the event's current), the "
                    "sweep's temperatures dotted."),
        (PNG_JH, jh_caption(sweep)),
        (PNG_MARGIN, "Margin Hk − h over the magnets (machine at 0°) of the top candidates at "
                     f"{temps[-1]:g} °C." if temps else "Margin maps (no finished case)."),
    ]
    written = []
    try:
        for name, text in (("ranking.csv", csv_text(sweep, ranked)),
                           ("ranking.md", markdown_text(sweep, ranked, figures)),
                           ("ranking.html", html_text(sweep, ranked, figures))):
            p = os.path.join(out, name)
            write_text(p, text)
            written.append(p)
        for name, make in ((PNG_VOLUME, plot_volume), (PNG_FLUX, plot_flux_loss), (PNG_ONSET, plot_onset),
                           (PNG_JH, plot_jh_curves), (PNG_MARGIN, plot_margin_maps)):
            p = os.path.join(out, name)
            write_figure(p, make(sweep))
            written.append(p)
    except OSError as e:
        raise ReportError(f"{getattr(e, 'filename', None) or out}: {e.strerror or e}")
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(prog=SCRIPT, description="Rank the candidate magnets of a merged sweep "
                                 "(DIR/NAME.hdf): CSV, Markdown and HTML tables and PNG plots.")
    ap.add_argument("merged", help="the merged sweep file DIR/NAME.hdf")
    ap.add_argument("-o", "--output", required=True, help="report directory (created if missing)")
    args = ap.parse_args(argv)
    try:
        written = write_report(args.merged, args.output)
    except ReportError as e:
        print(f"{SCRIPT}: {e}", file=sys.stderr)
        return 1
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
