"""jh_curves.png: the magnets' second-quadrant curve at each temperature, where the elements went, and the knee.

A panel per candidate (and geometry group) and load event, a colour per magnet temperature. From
each case's per-element arrays in the merged file (/VTKHDF/CellData/<case>.worst_h, .Br_eff,
.demag_coef, .knee_field; docs/demagnetization.md):

- every magnet element at its worst demagnetizing field h over the events, at the remanence it kept
  (Br', the recoil line's remanence: Br(T) while h stays below the knee, falling past it);
- the knee Hk (J = 0.9 Jr): a dashed line, and the band of its values over the elements when they
  differ (grain-boundary diffusion raises HcJ near the faces);
- Br(T) = Br_eff / demag_coef, the undamaged remanence, where the points start.

When a case's summary carries the curve itself (demag.candidates[0].temperatures[0].magnet_curve:
h_A_per_m, J_T, mu_rec, knee_field_A_per_m, Br_T, and for GBD magnets J_max_gain_T, the curve of the
most diffused element; sampled by the solver from its own curve), the panel shows J(h) at each
temperature with the knee point on it, and each element at its worst point on its curve,
J = Br' − mu0 (mu_rec − 1) h (the recoil construction of docs/magnet-model.md, section 4); the curve
is never re-computed here. Up to MAX_PANELS panels.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sweep_report_charts import no_data, plotted_events, series_label, series_of
from sweep_report_merged import finished

MAX_PANELS = 16
MU0 = 4e-7 * math.pi


def magnet_curve(r):
    """The solver's sampled curve of the case's candidate at its temperature, or None."""
    c = r.get("_temperature_row", {}).get("magnet_curve")
    if not isinstance(c, dict):
        return None
    try:
        h = np.asarray(c["h_A_per_m"], dtype=float)
        J = np.asarray(c["J_T"], dtype=float)
    except (KeyError, TypeError, ValueError):
        return None
    if h.ndim != 1 or h.shape != J.shape or h.size < 2:
        return None
    J_gbd = c.get("J_max_gain_T")
    J_gbd = np.asarray(J_gbd, dtype=float) if isinstance(J_gbd, list) and len(J_gbd) == h.size else None
    return dict(h=h, J=J, J_gbd=J_gbd, mu_rec=c.get("mu_rec"), Hk=c.get("knee_field_A_per_m"), Br=c.get("Br_T"))


def operating_points(sweep, r):
    """The case's magnet elements: worst h (A/m), Br' (T), Hk (A/m) per element and Br(T); None without arrays."""
    cid = r["case_id"]
    h = sweep.cell_array(f"{cid}.worst_h")
    br = sweep.cell_array(f"{cid}.Br_eff")
    hk = sweep.cell_array(f"{cid}.knee_field")
    coef = sweep.cell_array(f"{cid}.demag_coef")
    if h is None or br is None or hk is None:
        return None
    magnet = np.isfinite(hk) & (hk != 0) & np.isfinite(h) & np.isfinite(br)
    if not magnet.any():
        return None
    Jr = math.nan
    if coef is not None:
        ok = magnet & np.isfinite(coef) & (coef > 0.05)
        if ok.any():
            Jr = float(np.median(br[ok] / coef[ok]))
    return dict(h=h[magnet], Br=br[magnet], Hk=hk[magnet], Jr=Jr)


def panels_of(sweep):
    """(series, event) pairs with a finished case, in table order; at most MAX_PANELS, and how many left out."""
    keys, _ = series_of(sweep)
    out = [(k, ev) for k in keys for ev in plotted_events(sweep)
           if any((r["candidate"], r["group"]) == k and r["event"] == ev and finished(r) for r in sweep.rows)]
    return out[:MAX_PANELS], max(0, len(out) - MAX_PANELS)


def plot_jh_curves(sweep):
    panels, left_out = panels_of(sweep)
    temps = sweep.temperatures()
    tcmap = plt.get_cmap("plasma")
    tcol = {t: tcmap(0.1 + 0.75 * (i / max(1, len(temps) - 1))) for i, t in enumerate(temps)}
    if not panels:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.axis("off")
        no_data(ax, "no finished case: no operating points")
        return fig
    # two columns up to 4 panels, three up to 9, then four: readable when the page scales it to a laptop window
    ncol = min(len(panels), 2 if len(panels) <= 4 else 3 if len(panels) <= 9 else 4)
    nrow = math.ceil(len(panels) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol + 0.6, 3.9 * nrow + 0.9), squeeze=False)
    any_curve = any_band = any_gbd_curve = False
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, (k, ev) in zip(axes.flat, panels):
        rows = sorted((r for r in sweep.rows if (r["candidate"], r["group"]) == k and r["event"] == ev
                       and finished(r)), key=lambda r: r["temperature_C"])
        xmax, drawn = 0.0, False
        for r in rows:
            t = r["temperature_C"]
            col = tcol[t]
            pts = operating_points(sweep, r)
            curve = magnet_curve(r)
            if pts is None and curve is None:
                continue
            if curve is not None and curve["mu_rec"] is not None:
                any_curve = True
                ax.plot(curve["h"] / 1e3, curve["J"], color=col, lw=1.5)
                if curve["J_gbd"] is not None:  # the most diffused element's curve (GBD)
                    any_gbd_curve = True
                    ax.plot(curve["h"] / 1e3, curve["J_gbd"], color=col, lw=1.0, ls=":")
                if curve["Hk"] is not None and curve["Br"] is not None:
                    ax.plot([curve["Hk"] / 1e3], [0.9 * curve["Br"]], marker="o", mfc="white", mec=col, mew=1.5,
                            ms=7, ls="")
                k_rec = MU0 * (float(curve["mu_rec"]) - 1.0)
                if pts is not None:
                    ax.plot(pts["h"] / 1e3, pts["Br"] - k_rec * pts["h"], ls="", marker=".", ms=3, color=col,
                            alpha=0.6)
                xmax = max(xmax, float(np.max(curve["h"])) * 0.8)
            elif pts is not None:
                ax.plot(pts["h"] / 1e3, pts["Br"], ls="", marker=".", ms=3, color=col, alpha=0.6)
                if math.isfinite(pts["Jr"]):
                    ax.plot([0.0], [pts["Jr"]], ls="", marker="<", color=col, ms=7, clip_on=False)
            if pts is not None:
                lo, hi = float(np.min(pts["Hk"])), float(np.max(pts["Hk"]))
                ax.axvline(float(np.median(pts["Hk"])) / 1e3, color=col, ls="--", lw=1.1)
                if hi - lo > 0.01 * hi:
                    any_band = True
                    ax.axvspan(lo / 1e3, hi / 1e3, color=col, alpha=0.12, lw=0)
                xmax = max(xmax, float(np.max(pts["h"])), hi)
            drawn = True
        if not drawn:
            no_data(ax, "no per-element arrays")
        ax.set_xlim(0, 1.08 * xmax / 1e3 if xmax > 0 else 1.0)
        ax.axhline(0.0, color="0.5", lw=0.6)
        ax.set_xlabel("demagnetizing field h = −H·m (kA/m)")
        ax.set_ylabel("polarization J (T)" if any_curve else "remanence kept Br′ (T)")
        ax.set_title(f"{series_label(sweep, k)}\nevent '{ev}'", fontsize=10)
        ax.grid(True, alpha=0.3)
    handles = [Line2D([], [], ls="", marker="o", color=tcol[t], ms=7, label=f"{t:g} °C") for t in temps]
    handles.append(Line2D([], [], ls="", marker=".", color="black", ms=6,
                          label="magnet element at its worst h"))
    if any_curve:
        handles.append(Line2D([], [], color="black", lw=1.5, label="J(h) at the temperature"))
        handles.append(Line2D([], [], ls="", marker="o", mfc="white", mec="black", ms=7,
                              label="knee: J = 0.9 Jr at Hk"))
        if any_gbd_curve:
            handles.append(Line2D([], [], color="black", lw=1.0, ls=":", label="J(h) at the most diffused element"))
    else:
        handles.append(Line2D([], [], ls="", marker="<", color="black", ms=7, label="Br(T), undamaged"))
    handles.append(Line2D([], [], color="black", ls="--", lw=1.1, label="knee field Hk"))
    if any_band:
        handles.append(Patch(color="black", alpha=0.15, label="Hk over the elements (GBD)"))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 0.9), fontsize=9, frameon=False,
               title="magnet temperature")
    what = ("the intrinsic curve J(h) at temperature, each magnet element at its worst point on it, and the knee"
            if any_curve else
            "each magnet element at its worst field and the remanence it kept, and the knee Hk")
    more = f" ({left_out} more panels left out)" if left_out else ""
    fig.suptitle(f"Sweep '{sweep.name}': {what}{more}", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


def caption(sweep):
    """The figure's caption in the report (which of the two forms it takes)."""
    if any(magnet_curve(r) is not None for r in sweep.rows if finished(r)):
        return ("The magnets at temperature: the intrinsic curve J(h) of each candidate at each temperature "
                "(sampled by the solver), the knee (J = 0.9 Jr at Hk, circle and dashed line) and each magnet "
                "element at its worst point over the load events; a panel per candidate and event.")
    return ("The magnets at temperature: each magnet element at its worst demagnetizing field h over the load "
            "events with the remanence it kept (Br′ = Br(T) below the knee, less past it), and the knee field Hk "
            "(J = 0.9 Jr; its range over the elements shaded where grain-boundary diffusion varies it); a colour "
            "per temperature, a panel per candidate and event.")
