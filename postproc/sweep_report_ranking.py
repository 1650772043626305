"""The verdict on each case and the ranking rule of the grade-comparison report.

One home for the rule, so that the tables, the plots' choice of top candidates and the rule's
wording in the report (RULE) cannot disagree. A case *survives* when its no-load flux-linkage
loss after the load event is below SURVIVAL_LOSS_PCT (no significant irreversible loss); within
each (geometry group, temperature, event) the survivors come first by HRE cost, then the others
by flux loss; failed cases last, unranked. Meaning of the figures: docs/demagnetization.md.
"""

import math

from sweep_report_merged import finite, finished

SURVIVAL_LOSS_PCT = 1.0   # flux_linkage_loss_pct below this: survives

RULE = (f"Within each temperature, load event and geometry group: the candidates that **survive** "
        f"(no-load flux-linkage loss < {SURVIVAL_LOSS_PCT:g} %, i.e. no significant irreversible loss) come first, "
        f"by HRE cost per rotor ascending; then the others (**demagnetizes**) by flux-linkage loss ascending. "
        f"Failed cases (status other than done) are listed last, unranked.")


def verdict(r):
    """survives, demagnetizes, no result (done, but no flux loss) or failed."""
    if not finished(r):
        return "failed"
    loss = r.get("flux_linkage_loss_pct")
    if not finite(loss):
        return "no result"
    return "survives" if loss < SURVIVAL_LOSS_PCT else "demagnetizes"


def rank_key(r):
    """The order within a section: by verdict, survivors by HRE cost, the others by flux loss."""
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


def top_candidates(sweep, temperature):
    """(candidate, group) pairs at the temperature ranked by the rule on their worst event; each with its
    worst case (the largest significant flux loss; without one, the lowest minimum margin)."""
    per = {}
    for r in sweep.rows:
        if r["temperature_C"] == temperature and finished(r):
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

