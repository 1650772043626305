#!/usr/bin/python3
"""Plot a motor run's summary.json: torque, flux linkages and back-EMF versus rotor position.

    /usr/bin/python3 postproc/plot_motor.py out/summary.json motor.png [--dpi 120]

Panels, sharing the rotor-position axis (mechanical degrees):
  1. torque in the air-gap band (Arkkio) and in the check annulus where there
     is one, with the average and the ripple;
  2. flux linkage of phases a, b, c;
  3. back-EMF of phases a, b, c and line a-b (only when the run had a speed).
Needs Debian's python3-matplotlib; no display (Agg backend). Keys:
docs/results.md, "Motor runs".
"""

import argparse
import json
import math
import sys

PHASE_COLOURS = {"a": "tab:red", "b": "tab:green", "c": "tab:blue"}


def fail(message):
    print(f"plot_motor.py: {message}", file=sys.stderr)
    sys.exit(1)


def values(seq):
    """JSON numbers with null (NaN in the writer) as NaN, so that matplotlib leaves a gap."""
    return [math.nan if v is None else float(v) for v in seq]


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            summary = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")
    missing = [k for k in ("position_deg", "torque_Nm", "flux_linkage_Wb") if k not in summary]
    if missing:
        fail(f"{path}: not a motor run's summary.json (no {', '.join(missing)})")
    n = len(summary["position_deg"])
    if n == 0 or len(summary["torque_Nm"]) != n:
        fail(f"{path}: position_deg and torque_Nm differ in length or are empty")
    return summary


def plot_torque(ax, s, x):
    torque = values(s["torque_Nm"])
    ax.plot(x, torque, "o-", color="black", ms=3, lw=1.5, label="band (Arkkio)")
    check = values(s.get("torque_check_Nm", []))
    if check and not all(math.isnan(v) for v in check):
        region = s.get("torque_check_region") or "check annulus"
        ax.plot(x, check, "s--", color="tab:orange", ms=3, lw=1, label=f"check ({region})")
    avg = s.get("torque_avg_Nm")
    if avg is not None:
        ax.axhline(avg, color="grey", lw=0.8, ls=":")
        ripple = s.get("torque_ripple_pct")
        p2p = s.get("torque_peak_to_peak_Nm")
        text = f"average {avg:.4g} N m"
        if ripple is not None and p2p is not None:
            text += f", ripple {ripple:.3g} % ({p2p:.3g} N m peak to peak)"
        ax.set_title(text, fontsize=9, loc="left")
    ax.set_ylabel("Torque [N m]")
    ax.legend(fontsize=8, loc="best")


def plot_phases(ax, phases, x, ylabel, prefix):
    for p in ("a", "b", "c"):
        if p in phases:
            ax.plot(x, values(phases[p]), "-", color=PHASE_COLOURS[p], lw=1.5, label=f"{prefix} {p}")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="best", ncol=4)


def plot_back_emf(ax, emf, x):
    plot_phases(ax, emf.get("phase", {}), x, "Back-EMF [V]", "phase")
    if "line_ab" in emf:
        ax.plot(x, values(emf["line_ab"]), "--", color="black", lw=1, label="line a-b")
        ax.legend(fontsize=8, loc="best", ncol=4)
    parts = []
    if emf.get("speed_rpm") is not None:
        parts.append(f"at {emf['speed_rpm']:.5g} rpm")
    if emf.get("method"):
        parts.append(f"({emf['method']})")
    if emf.get("phase_a_rms") is not None:
        parts.append(f"phase RMS {emf['phase_a_rms']:.4g} V")
    if emf.get("line_rms") is not None:
        parts.append(f"line RMS {emf['line_rms']:.4g} V")
    ax.set_title(", ".join(parts).replace(", (", " ("), fontsize=9, loc="left")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summary", help="a motor run's summary.json")
    parser.add_argument("png", help="output PNG")
    parser.add_argument("--dpi", type=int, default=120)
    args = parser.parse_args()
    s = load(args.summary)

    import matplotlib
    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    x = values(s["position_deg"])
    emf = s.get("back_emf_V")
    rows = 3 if emf else 2
    fig, axes = plt.subplots(rows, 1, sharex=True, figsize=(9, 2.9 * rows + 0.6))
    plot_torque(axes[0], s, x)
    plot_phases(axes[1], s["flux_linkage_Wb"], x, "Flux linkage [Wb]", "phase")
    if emf:
        plot_back_emf(axes[2], emf, x)
    for ax in axes:
        ax.grid(True, lw=0.4, alpha=0.6)
    axes[-1].set_xlabel("Rotor position [deg, mechanical]")
    axes[-1].set_xlim(min(x), max(x) if max(x) > min(x) else min(x) + 1)
    fig.suptitle(f"{s.get('case', '?')}: {len(x)} rotor positions", fontsize=12)
    fig.tight_layout()
    try:
        fig.savefig(args.png, dpi=args.dpi)
    except OSError as e:
        fail(f"{args.png}: {e}")
    print(args.png)


if __name__ == "__main__":
    main()
