"""margin_maps.png: the magnets' margin Hk - h after the load events, for the top candidates.

At the hottest temperature with a finished case, the TOP_MAPS candidates first by the ranking
rule on their worst event (sweep_report_ranking.top_candidates) get a panel each: their worst
case's margin over the magnet elements of the grid at 0 deg (the merged file's /VTKHDF), zoomed on
the worst magnet (outlined; x at the element with the minimum). One colour scale for all panels,
white at 0, red past the knee, so the panels compare.
"""

import matplotlib.pyplot as plt
import matplotlib.tri as mtri
import numpy as np
from matplotlib.colors import ListedColormap, Normalize, TwoSlopeNorm
from matplotlib.ticker import MaxNLocator

from sweep_report_charts import no_data
from sweep_report_columns import fmt
from sweep_report_ranking import top_candidates

TOP_MAPS = 3              # margin maps of this many top candidates


def boundary_segments(tri):
    """Edges used by one triangle only: the outline of a set of triangles."""
    edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
    uniq, count = np.unique(edges, axis=0, return_counts=True)
    return uniq[count == 1]


def no_map(message):
    """A small figure that says why there is no margin map (the report always writes the file)."""
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.axis("off")
    no_data(ax, message)
    return fig


def plot_margin_maps(sweep):
    temps = sweep.finished_temperatures()
    if sweep.grid is None or not temps:
        return no_map("no finished case: no margin map" if not temps else "the merged file has no /VTKHDF grid")
    hottest = temps[-1]
    top = top_candidates(sweep, hottest)[:TOP_MAPS]
    pts, tri = sweep.grid["points"], sweep.grid["triangles"]
    centroids = pts[tri].mean(axis=1)
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
        return no_map(f"no margin array for the candidates at {hottest:g} °C")
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
        inview = p["in_group"] & np.all((centroids > lo - (hi - lo)) & (centroids < hi + (hi - lo)), axis=1)
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
        g = f", {sweep.group_label(p['group'], short=True)}" if sweep.many_groups() else ""
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
