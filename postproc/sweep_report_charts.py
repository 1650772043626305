"""The report's two charts: demagnetized volume versus temperature, flux loss versus heavy rare earth.

demag_volume_vs_temperature.png: % of the magnet volume with demag_coef < 0.99 versus the magnet
temperature, a line per candidate (and geometry group), a panel per load event.
flux_loss_vs_hre.png: the no-load flux-linkage loss versus HRE (Dy + Tb) mass and versus HRE cost
per rotor, a row of two panels per event, a marker per candidate (shape) and temperature (colour).
Candidates with the same HRE would hide each other, so markers are dodged sideways by a few
points, and the legends are stacked right of the axes. The helpers that give every figure the
same series, markers and legends are here too (the margin maps use no_data).
"""

import math

import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import ScalarFormatter

from sweep_report_merged import finite, finished
from sweep_report_ranking import SURVIVAL_LOSS_PCT


def plotted_events(sweep):
    """The load events, a panel (row) each: the plan's, in its order; else those in the table."""
    return sweep.events or sorted({r["event"] for r in sweep.rows})


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


def marker(i):
    """The marker of the i-th series (the same candidate has the same shape in both charts)."""
    return MARKERS[i % len(MARKERS)]


def series_label(sweep, key):
    cand, g = key
    return f"{cand}, g{g}" if sweep.many_groups() else cand


def group_legend(fig, sweep):
    """A legend naming the geometry groups (g0: key = value ...), or None with one group."""
    if not sweep.many_groups():
        return None
    gs = sorted({r["group"] for r in sweep.rows})
    return fig.legend(handles=[Line2D([], [], ls="") for _ in gs],
                      labels=[sweep.group_label(g, short=True).replace(f"g{g} ", f"g{g}: ", 1) for g in gs],
                      loc="upper left", bbox_to_anchor=(1.0, 0.5), title="geometry group", fontsize=9,
                      frameon=False, handlelength=0, handletextpad=0)


def no_data(ax, message):
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="grey")


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
    """Place figure legends one below the other from `top` (figure fraction); None (no group legend) skipped."""
    renderer = fig.canvas.get_renderer()
    y = top
    for leg in (x for x in legends if x is not None):
        leg.set_bbox_to_anchor((leg.get_bbox_to_anchor().x0 / fig.bbox.width, y), transform=fig.transFigure)
        h = leg.get_window_extent(renderer).height / fig.bbox.height
        y -= h + gap


def plot_volume(sweep):
    events = plotted_events(sweep)
    keys, colours = series_of(sweep)
    fig, axes = plt.subplots(1, len(events), figsize=(6.0 * len(events), 4.6), squeeze=False)
    temps_all = sweep.temperatures()
    failed_any = False
    for ax, ev in zip(axes[0], events):
        drawn = False
        for i, k in enumerate(keys):
            rows = sorted((r for r in sweep.rows if (r["candidate"], r["group"]) == k and r["event"] == ev),
                          key=lambda r: r["temperature_C"])
            t = np.array([r["temperature_C"] for r in rows])
            v = np.array([r.get("volume_pct_coef_below_0_99", math.nan) if finished(r) else math.nan
                          for r in rows])
            if len(t) == 0:
                continue
            ax.plot(t, v, marker=marker(i), color=colours[k], lw=1.6, ms=max(4.0, 9.0 - 1.2 * i),
                    label=series_label(sweep, k))
            bad = [r["temperature_C"] for r in rows if not finished(r)]
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
    stack_legends(fig, [leg, group_legend(fig, sweep)], top=0.9)
    return fig


def linear_loss_range(losses):
    """The y-range of the flux-loss chart on a linear axis: every loss and the survival limit, 0 included."""
    lo = min([0.0] + losses)
    hi = max([2.0 * SURVIVAL_LOSS_PCT] + losses)
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad


def plot_flux_loss(sweep):
    events = plotted_events(sweep)
    keys, _ = series_of(sweep)
    temps = sweep.temperatures()
    tcmap = plt.get_cmap("plasma")
    tcol = {t: tcmap(0.1 + 0.75 * (i / max(1, len(temps) - 1))) for i, t in enumerate(temps)}
    cur = sweep.currency()
    fig, axes = plt.subplots(len(events), 2, figsize=(12.0, 4.8 * len(events) + 0.6), squeeze=False)
    losses = [r.get("flux_linkage_loss_pct") for r in sweep.rows if finished(r)]
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
                    if (r["candidate"], r["group"]) != k or r["event"] != ev or not finished(r):
                        continue
                    x, y = r.get(xkey), r.get("flux_linkage_loss_pct")
                    if not (finite(x) and finite(y)):
                        continue
                    ti = temps.index(r["temperature_C"])
                    dx = dodge.get(k, 0.0) + (ti - (len(temps) - 1) / 2) * step_t
                    tr = mtransforms.offset_copy(ax.transData, fig=fig, x=dx, y=0.0, units="points")
                    ax.plot([x], [max(y, 0.0) if use_symlog else y], ls="", marker=marker(i),
                            ms=8, mfc=tcol[r["temperature_C"]], mec="black", mew=0.6, alpha=0.9, transform=tr)
                    any_point = True
            ax.axhline(SURVIVAL_LOSS_PCT, color="green", ls="--", lw=1)
            ax.text(0.01, SURVIVAL_LOSS_PCT, f" survival limit {SURVIVAL_LOSS_PCT:g} %", color="green",
                    va="bottom", ha="left", fontsize=8, transform=ax.get_yaxis_transform())
            # The y-range is set here on either scale: the markers' offset transform (the dodge) hides them
            # from autoscaling, which would otherwise see only the survival line (an empty chart).
            if use_symlog:
                ax.set_yscale("symlog", linthresh=1.0, linscale=0.6)
                ax.yaxis.set_major_formatter(ScalarFormatter())
                ax.set_ylim(-0.1, max(losses) * 1.8)
            else:
                ax.set_ylim(*linear_loss_range(losses))
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
    cand_handles = [Line2D([], [], ls="", marker=marker(i), mfc="white", mec="black", ms=8,
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
    stack_legends(fig, [leg1, leg2, group_legend(fig, sweep)])
    return fig
