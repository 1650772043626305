#!/usr/bin/env python3
"""The grade-comparison report's figures and facts on a small synthetic merged file (tests/app/synthetic_sweep.py,
written in the layout of `rotormag merge`), through the report's own modules (postproc/sweep_report_*.py):

  flux_loss_vs_hre.png  every finished case has its marker inside its panel, with all losses below 20 %
                        (a linear axis; the markers were once outside the y-range: an empty chart) and
                        with losses above (the symlog axis); the PNG is written
  onset_per_grade.png   per event: a line per candidate through its cases' onset currents, the event's
                        current (read from the case files: 60 A, 100 A) as the dashed line; a bar per
                        candidate at the median of its onset temperatures
  jh_curves.png         per candidate and event, every magnet element of every temperature at (worst_h,
                        Br_eff) and the knee Hk's dashed line at the median of knee_field, from the
                        per-element arrays; with the summaries' magnet_curve the curve J(h) as given (GBD:
                        also the most diffused element's) and the elements at J = Br' - mu0 (mu_rec - 1) h;
                        a failed case is left out
  the whole report      every file written, a failed case among the cases; ranking.md states the load
                        events with their currents, the motor, the mesh, the positions and the rated load,
                        "unknown" for the version, commit, dates and case hash the file does not record,
                        and the values of the attributes (in /RotorMag) of a file that does

    report_figures.py SOURCE_DIR
"""
import math
import os
import shutil
import sys
import tempfile

SOURCE = sys.argv[1]
sys.path.insert(0, os.path.join(SOURCE, "postproc"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matplotlib  # noqa: E402
import numpy as np  # noqa: E402

matplotlib.use("Agg")

import synthetic_sweep  # noqa: E402
from sweep_report_charts import plot_flux_loss  # noqa: E402
from sweep_report_conditions import conditions  # noqa: E402
from sweep_report_files import write_figure  # noqa: E402
from sweep_report_merged import Sweep, finished  # noqa: E402
from sweep_report_jh import plot_jh_curves  # noqa: E402
from sweep_report_onset import plot_onset  # noqa: E402
from sweep_report import write_report  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def marker_lines(ax):
    """The plotted markers of an axes: lines with a marker and no line style (the survival line has none)."""
    return [ln for ln in ax.get_lines() if ln.get_marker() not in (None, "None", "") and ln.get_linestyle() == "None"]


def check_flux_loss_markers(sweep, what):
    """Each finished case with a loss has a marker in both panels of its event's row, drawn inside the panel."""
    fig = plot_flux_loss(sweep)
    fig.canvas.draw()
    axes = [ax for ax in fig.axes if ax.get_xlabel().startswith("HRE")]
    events = sweep.events
    assert len(axes) == 2 * len(events), (what, len(axes))
    for k, ev in enumerate(events):
        expected = sorted(r["flux_linkage_loss_pct"] for r in sweep.rows if r["event"] == ev and finished(r)
                          and math.isfinite(r["flux_linkage_loss_pct"]))
        assert expected, (what, ev)
        for ax in axes[2 * k:2 * k + 2]:
            assert ev in ax.get_title(), (what, ax.get_title(), ev)
            lines = marker_lines(ax)
            ys = sorted(float(ln.get_ydata()[0]) for ln in lines)
            assert len(ys) == len(expected), (what, ev, len(ys), len(expected))
            # the symlog chart draws a (tiny) negative loss at 0
            shown = [max(b, 0.0) for b in expected] if ax.get_yscale() == "symlog" else expected
            assert all(abs(a - b) < 1e-9 for a, b in zip(ys, shown)), (what, ys, shown)
            lo, hi = ax.get_ylim()
            assert lo <= min(ys) and max(ys) <= hi, (what, "y-range", (lo, hi), ys)
            box = ax.get_window_extent()
            for ln in lines:
                x, y = ln.get_transform().transform((ln.get_xdata()[0], ln.get_ydata()[0]))
                assert box.x0 - 0.5 <= x <= box.x1 + 0.5 and box.y0 - 0.5 <= y <= box.y1 + 0.5, \
                    (what, ev, ax.get_title(), "marker outside its panel", (x, y), box)
    return fig, max(expected)


def check_onset(sweep):
    fig = plot_onset(sweep)
    rows = [ax for ax in fig.axes if ax.get_ylabel().startswith("onset current")]
    bars = [ax for ax in fig.axes if ax.get_xlabel().startswith("onset temperature")]
    assert len(rows) == len(bars) == len(sweep.events), (len(rows), len(bars))
    currents = {"short circuit": 60.0, "peak -id": 100.0}
    cands = [c[0] for c in synthetic_sweep.CANDIDATES]
    for ax_i, ax_t, ev in zip(rows, bars, sweep.events):
        dashed = [ln for ln in ax_i.get_lines() if ln.get_linestyle() == "--"]
        assert len(dashed) == 1 and dashed[0].get_ydata()[0] == currents[ev], (ev, [d.get_ydata() for d in dashed])
        lines = [ln for ln in ax_i.get_lines() if ln.get_linestyle() == "-"]
        assert [ln.get_label() for ln in lines] == cands, [ln.get_label() for ln in lines]
        for ln, cand in zip(lines, cands):
            want = sorted((r["temperature_C"], r["onset_current_A"]) for r in sweep.rows
                          if r["candidate"] == cand and r["event"] == ev)
            got = list(zip(ln.get_xdata(), ln.get_ydata()))
            assert got == want, (ev, cand, got, want)
        lo, hi = ax_i.get_ylim()
        assert lo <= 0 and hi >= max(max(ln.get_ydata()) for ln in lines) and hi >= currents[ev]
        widths = [p.get_width() for p in ax_t.patches]
        want = [sorted(r["onset_temperature_C"] for r in sweep.rows if r["candidate"] == c and r["event"] == ev)
                for c in cands]
        want = [w[len(w) // 2] for w in want]  # 3 cases each: the median is the middle one
        assert len(widths) == len(cands) and all(abs(a - b) < 1e-9 for a, b in zip(widths, want)), (widths, want)
        assert ax_t.get_xlim()[1] > max(want)
    return fig


def check_jh(sweep, with_curve):
    """Each panel (candidate x event) holds, per finished case, its magnet elements and its knee line."""
    fig = plot_jh_curves(sweep)
    axes = [ax for ax in fig.axes if ax.get_xlabel().startswith("demagnetizing field")]
    cands = [c[0] for c in synthetic_sweep.CANDIDATES]
    assert len(axes) == len(cands) * len(sweep.events), len(axes)
    mu0 = 4e-7 * math.pi
    for ax in axes:
        cand, ev = ax.get_title().split("\n")
        ev = ev.split("'")[1]
        rows = sorted((r for r in sweep.rows if r["candidate"] == cand and r["event"] == ev and finished(r)),
                      key=lambda r: r["temperature_C"])
        points = [ln for ln in ax.get_lines() if ln.get_marker() == "."]
        knees = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
        assert len(points) == len(knees) == len(rows) > 0, (cand, ev, len(points), len(knees), len(rows))
        for ln, knee, r in zip(points, knees, rows):
            h = sweep.cell_array(r["case_id"] + ".worst_h")
            br = sweep.cell_array(r["case_id"] + ".Br_eff")
            hk = sweep.cell_array(r["case_id"] + ".knee_field")
            magnet = hk != 0
            assert np.allclose(ln.get_xdata(), h[magnet] / 1e3), (cand, ev, r["case_id"])
            want = br[magnet] - (mu0 * 0.05 * h[magnet] if with_curve else 0.0)
            assert np.allclose(ln.get_ydata(), want), (cand, ev, r["case_id"])
            assert abs(knee.get_xdata()[0] - np.median(hk[magnet]) / 1e3) < 1e-9
        lo, hi = ax.get_xlim()
        assert lo == 0 and hi >= max(max(ln.get_xdata()) for ln in points)
        curves = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-" and len(ln.get_xdata()) > 2]
        gbd = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
        if with_curve:
            assert len(curves) == len(rows), (cand, ev, len(curves))
            assert len(gbd) == (len(rows) if cand == "N48 Tb-GBD" else 0), (cand, len(gbd))
            for ln, r in zip(gbd, rows):
                assert np.allclose(ln.get_ydata(), r["_temperature_row"]["magnet_curve"]["J_max_gain_T"])
            for ln, r in zip(curves, rows):
                c = r["_temperature_row"]["magnet_curve"]
                assert np.allclose(ln.get_xdata(), np.array(c["h_A_per_m"]) / 1e3)
                assert np.allclose(ln.get_ydata(), c["J_T"])
            assert ax.get_ylabel() == "polarization J (T)"
        else:
            assert not curves and ax.get_ylabel() == "remanence kept Br′ (T)", ax.get_ylabel()
    return fig


def main():
    tmp = tempfile.mkdtemp(prefix="rotormag_report_figures_")
    # All losses at or below 20 %: a linear axis.
    low = os.path.join(tmp, "low.hdf")
    synthetic_sweep.write(low)
    sweep = Sweep(low)
    losses = [r["flux_linkage_loss_pct"] for r in sweep.rows]
    assert 1.0 < max(losses) <= 20.0 and sum(x > 0 for x in losses) >= 4, losses
    fig, _ = check_flux_loss_markers(sweep, "losses below 20 %")
    assert all(ax.get_yscale() == "linear" for ax in fig.axes if ax.get_xlabel().startswith("HRE"))
    png = os.path.join(tmp, "flux_loss_vs_hre.png")
    write_figure(png, fig)
    with open(png, "rb") as f:
        assert f.read(8) == PNG_MAGIC
    write_figure(os.path.join(tmp, "onset_per_grade.png"), check_onset(sweep))
    write_figure(os.path.join(tmp, "jh_curves.png"), check_jh(sweep, with_curve=False))
    curve = os.path.join(tmp, "curve.hdf")
    synthetic_sweep.write(curve, magnet_curve=True, failed=("c0007",))
    check_jh(Sweep(curve), with_curve=True)
    # The whole report, a failed case among the cases.
    written = write_report(curve, os.path.join(tmp, "report"))
    names = sorted(os.path.basename(p) for p in written)
    assert names == sorted(["ranking.csv", "ranking.md", "ranking.html", "demag_volume_vs_temperature.png",
                            "flux_loss_vs_hre.png", "onset_per_grade.png", "jh_curves.png", "margin_maps.png"]), names
    for p in written:
        assert os.path.getsize(p) > 0, p
        if p.endswith(".png"):
            with open(p, "rb") as f:
                assert f.read(8) == PNG_MAGIC, p
    md = open(os.path.join(tmp, "report", "ranking.md"), encoding="utf-8").read()
    for needed in ("## What was compared", "**Load event 'short circuit'**: short-circuit peak 60 A",
                   "**Load event 'peak -id'**: i_d = −100 A, i_q = 0 (peak)",
                   "**Motor**: 'spm_12s10p_demag'; 12 slots, 10 poles, 2-layer winding, surface magnet rotor; "
                   "stack length 50 mm", "**Mesh**: 48 elements, 35 nodes, 30 unknowns, order 1",
                   "**Rotor positions**: the load events at 0, 3.6° (mechanical)",
                   "**Rated load**: i_d = 0 A, i_q = 20 A", "**RotorMag**: version unknown, commit unknown",
                   "**Dates**: sweep merged unknown on host unknown; this report written ",
                   "**Case SHA-256**: unknown"):
        assert needed in md, (needed, md[:2500])
    tagged = os.path.join(tmp, "tagged.hdf")
    synthetic_sweep.write(tagged, software={"rotormag_version": "1.2.3", "git_commit": "0badc0de",
                                            "created_utc": "2026-12-01T10:00:00Z", "host": "gpu07",
                                            "case_sha256": "ab" * 32}, software_group="/RotorMag")
    sw = Sweep(tagged).software
    assert sw["rotormag_version"] == ("1.2.3", "/RotorMag@rotormag_version") and sw["host"][0] == "gpu07", sw
    lines = dict(conditions(Sweep(tagged)))
    assert lines["RotorMag"] == "version 1.2.3, commit 0badc0de", lines
    assert lines["Dates"].startswith("sweep merged 2026-12-01T10:00:00Z on host gpu07;"), lines
    assert lines["Case SHA-256"] == "ab" * 32, lines
    # Losses above 20 %: the symlog axis.
    high = os.path.join(tmp, "high.hdf")
    synthetic_sweep.write(high, losses_scale=8.0)
    fig, top = check_flux_loss_markers(Sweep(high), "losses above 20 %")
    assert top > 20.0 and all(ax.get_yscale() == "symlog" for ax in fig.axes if ax.get_xlabel().startswith("HRE"))
    print("report_figures: flux_loss_vs_hre markers inside their panels (linear and symlog); onset per grade; "
          "J-H operating points and knees; the whole report with what was compared and the software")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
