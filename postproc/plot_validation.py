#!/usr/bin/python3
"""Convergence plots of a `rotormag validate` run.

    /usr/bin/python3 postproc/plot_validation.py DIR/convergence.csv DIR [--dpi 110]

Reads convergence.csv (problem, element, quantity, expected_order,
fitted_order, last_pair_order, h_m, error; a row per mesh) and writes
DIR/convergence_<problem>.png for each problem: error against h on log-log
axes, one line per study (P1 solid, P2 dashed), each with a reference slope
of its expected order through its finest point. Each file is written under a
temporary name and renamed, so a reader never sees half a PNG.
Needs Debian's python3-matplotlib (Agg backend, no display); exits 3 when it
is missing, 1 on a bad input file.
"""

import argparse
import csv
import os
import sys
from collections import OrderedDict


def fail(message, code=1):
    print(f"plot_validation.py: {message}", file=sys.stderr)
    sys.exit(code)


def load(path):
    studies = OrderedDict()  # (problem, element, quantity) -> dict
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail(f"{path}: {e}")
    needed = {"problem", "element", "quantity", "expected_order", "fitted_order", "last_pair_order", "h_m", "error"}
    if not rows or not needed <= set(rows[0].keys()):
        fail(f"{path}: not a convergence.csv of rotormag validate (columns {', '.join(sorted(needed))})")
    for row in rows:
        key = (row["problem"], row["element"], row["quantity"])
        s = studies.setdefault(key, {"h": [], "error": [], "expected": float(row["expected_order"]),
                                     "fitted": float(row["fitted_order"]), "last": float(row["last_pair_order"])})
        s["h"].append(float(row["h_m"]) * 1e3)
        s["error"].append(float(row["error"]))
    return studies


def split(quantity):
    """(axis label, legend name) of a study: what is measured, and what tells
    the studies of one problem apart (the variant)."""
    for prefix, name in (("relative L2 error of B in the gap, ", "gap, "),
                         ("the same 0.5 mm away from the magnet corners, ", "away from the corners, ")):
        if quantity.startswith(prefix):
            return "relative L2 error of B in the gap", name + quantity[len(prefix):]
    if quantity.endswith(")") and " (" in quantity:
        base, variant = quantity[:-1].rsplit(" (", 1)
        return base, variant
    return quantity, ""


def plot_problem(plt, ticker, problem, studies, path, dpi):
    many = len(studies) > 4
    # Many studies (T4 --full): the legend goes below the axes, colours from a 20-colour cycle.
    fig, ax = plt.subplots(figsize=(9.0, 5.0) if many else (6.4, 4.6))
    colours = plt.get_cmap("tab20").colors if many else plt.rcParams["axes.prop_cycle"].by_key()["color"]
    ylabels = set()
    for i, ((_, element, quantity), s) in enumerate(studies):
        colour = colours[i % len(colours)]
        style = "-" if element == "P1" else "--"
        axis_label, name = split(quantity)
        label = f"{element}{' ' + name if name else ''}: fitted {s['fitted']:.2f}, last pair {s['last']:.2f}"
        ax.loglog(s["h"], s["error"], style, marker="o", ms=4, color=colour, label=label)
        # Reference slope through the finest point, over the studied range.
        h0, e0 = s["h"][-1], s["error"][-1]
        hs = [min(s["h"]), max(s["h"])]
        ax.loglog(hs, [e0 * (h / h0) ** s["expected"] for h in hs], ":", color=colour, lw=1)
        ylabels.add(axis_label)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    # Minor ticks labelled at 2, 3 and 5 times a power of ten only, so that they do not run together.
    ax.xaxis.set_minor_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}" if f"{v:.0e}"[0] in "235" else ""))
    ax.set_xlabel("h [mm]")
    ax.set_ylabel(" / ".join(sorted(ylabels)))
    ax.set_title(f"{problem}: error against mesh size (dotted: expected order)")
    ax.grid(True, which="both", lw=0.4, alpha=0.5)
    if many:
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    else:
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        fig.savefig(tmp, dpi=dpi, format="png", bbox_inches="tight" if many else None)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="convergence.csv of rotormag validate")
    parser.add_argument("out_dir", help="directory for convergence_<problem>.png")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import ticker
    except ImportError as e:
        fail(f"matplotlib is missing ({e}); install Debian's python3-matplotlib", 3)
    studies = load(args.csv)
    by_problem = OrderedDict()
    for key, s in studies.items():
        by_problem.setdefault(key[0], []).append((key, s))
    for problem, items in by_problem.items():
        path = os.path.join(args.out_dir, f"convergence_{problem}.png")
        plot_problem(plt, ticker, problem, items, path, args.dpi)
        print(f"plot_validation.py: wrote {path}")


if __name__ == "__main__":
    main()
