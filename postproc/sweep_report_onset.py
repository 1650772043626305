"""onset_per_grade.png: what temperature and what current each candidate can take.

A row of two panels per load event. Left: the onset current (the largest current, peak, of the
worst event without 1 % loss in any element) against the magnet temperature, a line per
candidate, with the event's own current as a dashed line: where a candidate's line lies above it,
the event leaves it undamaged at that temperature. Right: the onset temperature (the hottest magnet
temperature at the event's full current without that loss), a bar per candidate at the median of
its cases, each case a dot (the cases search from their own worst rotor position, so they can
differ), the sweep's temperatures as grey lines. Both come from the table (onset_current_A,
onset_temperature_C; docs/demagnetization.md, "Onset"); without an onset search the figure says so.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from sweep_report_charts import group_legend, marker, no_data, plotted_events, series_label, series_of, stack_legends
from sweep_report_conditions import event_current_A
from sweep_report_merged import finite, finished


def onset_values(sweep, key, event, series):
    """(temperature, value) of the finished cases of a series and event with a value, by temperature."""
    rows = [r for r in sweep.rows if (r["candidate"], r["group"]) == series and r["event"] == event and finished(r)]
    return sorted((r["temperature_C"], r[key]) for r in rows if finite(r.get(key)))


def missing_reason(sweep, event, series, key):
    """Why a series has no onset value: 'not computed' (find_onset = false), 'not found', or None."""
    rows = [r for r in sweep.rows if (r["candidate"], r["group"]) == series and r["event"] == event and finished(r)]
    if not rows or any(finite(r.get(key)) for r in rows):
        return None
    return "not computed" if all(r.get("_find_onset") is False for r in rows) else "not found"


def plot_onset(sweep):
    events = plotted_events(sweep)
    keys, colours = series_of(sweep)
    if not any(finite(r.get(k)) for r in sweep.rows for k in ("onset_current_A", "onset_temperature_C")):
        fig, ax = plt.subplots(figsize=(7, 2.6))
        ax.axis("off")
        off = any(r.get("_find_onset") is False for r in sweep.rows)
        no_data(ax, "no onset current or temperature in this sweep" +
                (":\nthe cases ran with find_onset = false" if off else ""))
        return fig
    temps = sweep.temperatures()
    fig, axes = plt.subplots(len(events), 2, figsize=(12.5, 4.4 * len(events) + 0.7), squeeze=False,
                             gridspec_kw={"width_ratios": [1.0, 1.0]})
    for (ax_i, ax_t), ev in zip(axes, events):
        current = event_current_A(sweep, ev)
        # left: onset current versus temperature
        drawn = False
        top = current if finite(current) else 0.0
        for i, k in enumerate(keys):
            pts = onset_values(sweep, "onset_current_A", ev, k)
            if not pts:
                continue
            t, v = zip(*pts)
            ax_i.plot(t, v, marker=marker(i), color=colours[k], lw=1.6, ms=max(4.0, 9.0 - 1.2 * i),
                      label=series_label(sweep, k))
            top = max(top, max(v))
            drawn = True
        if finite(current):
            ax_i.axhline(current, color="black", ls="--", lw=1)
            ax_i.text(0.99, current, f"event '{ev}': {current:g} A ", ha="right", va="bottom", fontsize=8,
                      transform=ax_i.get_yaxis_transform())
        ax_i.set_ylim(0, top * 1.12 if top > 0 else 1.0)
        if temps:
            span = max(temps) - min(temps) or 10.0
            ax_i.set_xlim(min(temps) - 0.05 * span, max(temps) + 0.05 * span)
            ax_i.set_xticks(temps)
        ax_i.set_xlabel("magnet temperature (°C)")
        ax_i.set_ylabel("onset current, peak (A)")
        ax_i.set_title(f"event '{ev}': onset current\n(above the dashed line: no loss from the event)", fontsize=10)
        ax_i.grid(True, alpha=0.3)
        if not drawn:
            no_data(ax_i, "no onset current")
        # right: onset temperature per candidate
        labels, medians = [], []
        for i, k in enumerate(keys):
            pts = onset_values(sweep, "onset_temperature_C", ev, k)
            y = len(keys) - 1 - i  # the first candidate on top
            labels.append((y, series_label(sweep, k)))
            if not pts:
                reason = missing_reason(sweep, ev, k, "onset_temperature_C")
                if reason:
                    ax_t.text(0.02, y, reason, va="center", ha="left", fontsize=8, color="grey",
                              transform=ax_t.get_yaxis_transform())
                continue
            vals = np.array([v for _, v in pts])
            med = float(np.median(vals))
            medians.append(med)
            ax_t.barh(y, med, height=0.55, color=colours[k], alpha=0.45, edgecolor=colours[k])
            ax_t.plot(vals, [y] * len(vals), ls="", marker=marker(i), color=colours[k], mec="black", mew=0.5, ms=6)
            spread = f" ({vals.min():.0f}–{vals.max():.0f})" if vals.max() - vals.min() >= 1.0 else ""
            ax_t.text(max(vals.max(), med), y, f"  {med:.0f} °C{spread}", va="center", ha="left", fontsize=8)
        for t in temps:
            ax_t.axvline(t, color="0.6", lw=0.8, ls=":")
        ax_t.set_yticks([y for y, _ in labels], labels=[t for _, t in labels], fontsize=9)
        ax_t.set_ylim(-0.6, len(keys) - 0.4)
        right = max(medians + temps + [20.0])
        ax_t.set_xlim(0, right * 1.25)
        ax_t.set_xlabel("onset temperature (°C)")
        cur = f" ({current:g} A)" if finite(current) else ""
        ax_t.set_title(f"event '{ev}': onset temperature at the event's current{cur}\n"
                       "(bar: median of the cases, dots: each case)", fontsize=10)
        ax_t.grid(True, axis="x", alpha=0.3)
        if not medians:
            no_data(ax_t, "no onset temperature")
    fig.suptitle(f"Sweep '{sweep.name}': onset of irreversible loss (1 % in any element) per candidate",
                 fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    handles = [Line2D([], [], marker=marker(i), color=colours[k], lw=1.6, label=series_label(sweep, k))
               for i, k in enumerate(keys)]
    leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 0.9), title="candidate", fontsize=9,
                     frameon=False)
    stack_legends(fig, [leg, group_legend(fig, sweep)], top=0.9)
    return fig

