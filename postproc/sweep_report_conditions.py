"""What the comparison was run on: the motor, its mesh, the load events and their currents, the rotor
positions, the rated load, and the software that ran it.

Everything is read from the merged file (sweep_report_merged.Sweep): the cases' case files
(/Sweep/cases/<id>/case_toml, the base case narrowed to one candidate, temperature and event), their
summaries (mesh sizes, stack length) and the plan (the sweep's positions); the version, commit, date,
host and case hash from the attributes named in sweep_report_merged.SOFTWARE_KEYS. What the file does
not say is left out, or shown as "unknown" for the software; nothing is filled in from defaults.
"""

import datetime
import math

from sweep_report_merged import unique


def number(v, digits=4):
    """A number as the case file would have it: no float noise (3.6000000000000001 -> 3.6)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    text = f"{v:.{digits}g}" if abs(v) < 10 ** digits else f"{v:.0f}"
    return "−" + text[1:] if text.startswith("-") else text


def angles(values):
    return ", ".join(number(float(a), 6) for a in values)


def case_tables(sweep):
    """The cases' parsed case files, in table order (absent or unreadable ones skipped)."""
    return [r["_case"] for r in sweep.rows if r.get("_case")]


def values(sweep, *path):
    """The values at `path` (keys) in the case files that have it, each once, in table order."""
    out = []
    for case in case_tables(sweep):
        v = case
        for k in path:
            if not isinstance(v, dict) or k not in v:
                v = None
                break
            v = v[k]
        if v is not None and v not in out:
            out.append(v)
    return out


def first(sweep, *path):
    """The value at `path` in the first case file that has it, or None."""
    v = values(sweep, *path)
    return v[0] if v else None


def joined(sweep, *paths):
    """The values at the first of `paths` that the case files have, as text ("12", or "6/7" when the
    geometry groups differ), or None."""
    for path in paths:
        v = values(sweep, *path)
        if v:
            return "/".join(number(float(x)) if isinstance(x, (int, float)) and not isinstance(x, bool) else str(x)
                            for x in v)
    return None


# ------------------------------------------------------------------ load events


def event_current(event):
    """(kind, text, peak current magnitude in A) of a [[demag.event]] table, as setup/stator_load.cpp
    reads it (peak, amplitude-invariant dq; phase currents: the largest magnitude)."""
    if "short_circuit_peak_A" in event:
        i = float(event["short_circuit_peak_A"])
        return "short-circuit peak", f"short-circuit peak {number(i)} A (d-axis: i_d = −{number(i)} A)", i
    if "negative_d_current_A" in event:
        i = float(event["negative_d_current_A"])
        return "negative d-axis current", f"i_d = −{number(i)} A, i_q = 0 (peak)", i
    if "phase_currents_A" in event:
        p = [float(x) for x in event["phase_currents_A"]]
        i = max(abs(x) for x in p) if p else math.nan
        return "phase currents", "i_a, i_b, i_c = " + ", ".join(number(x) for x in p) + " A (fixed)", i
    if "id_A" in event or "iq_A" in event:
        d, q = float(event.get("id_A", 0.0)), float(event.get("iq_A", 0.0))
        i = math.hypot(d, q)
        return "dq currents", (f"i_d = {number(d)} A, i_q = {number(q)} A (peak; {number(i)} A at "
                               f"{number(math.degrees(math.atan2(q, d)), 4)}° from the d-axis)"), i
    return "?", "current not stated in the case file", math.nan


def load_events(sweep):
    """The load events in the plan's order: dicts with name, kind, text, current_A (peak magnitude) and
    positions_deg (the event's own, else None: the sweep's). Read from the cases' case files."""
    found = {}
    for case in case_tables(sweep):
        for ev in case.get("demag", {}).get("event", []) or []:
            name = ev.get("name")
            if name is None or name in found:
                continue
            kind, text, current = event_current(ev)
            pos = ev.get("positions_deg")
            found[name] = dict(name=name, kind=kind, text=text, current_A=current,
                               positions_deg=[float(a) for a in pos] if pos is not None else None)
    order = list(sweep.events) + sorted(n for n in found if n not in sweep.events)
    return [found.get(n, dict(name=n, kind="?", text="not in the merged file's case files", current_A=math.nan,
                              positions_deg=None)) for n in order]


def event_current_A(sweep, name):
    for e in load_events(sweep):
        if e["name"] == name:
            return e["current_A"]
    return math.nan


# ------------------------------------------------------------------ motor, mesh, positions, loads


def motor_text(sweep):
    case_name = joined(sweep, ("name",))
    parts = [f"'{case_name}'" if case_name else "unnamed case"]
    base = sweep.plan.get("base_case")
    rotor_type = joined(sweep, ("mesh", "motor", "rotor", "type"))
    slots = joined(sweep, ("mesh", "motor", "stator", "slots"), ("motor", "winding", "slots"))
    poles = joined(sweep, ("mesh", "motor", "rotor", "poles"), ("motor", "winding", "poles"))
    layers = joined(sweep, ("mesh", "motor", "stator", "winding_layers"), ("motor", "winding", "layers"))
    machine = []
    if slots is not None:
        machine.append(f"{slots} slots")
    if poles is not None:
        machine.append(f"{poles} poles")
    if layers is not None:
        machine.append(f"{layers}-layer winding")
    if rotor_type:
        machine.append(f"{rotor_type.replace('_', ' ').replace('interior v', 'interior V')} rotor")
    if machine:
        parts.append(", ".join(machine))
    stack = joined(sweep, ("motor", "stack_length_mm"))
    if stack is None:
        s = next((r["_summary"].get("stack_length_m") for r in sweep.rows if r["_summary"]), None)
        stack = number(s * 1e3) if isinstance(s, (int, float)) else None
    if stack is not None:
        parts.append(f"stack length {stack} mm")
    turns = joined(sweep, ("motor", "winding", "turns_per_coil"))
    paths = joined(sweep, ("motor", "winding", "parallel_paths"))
    if turns is not None:
        parts.append(f"{turns} turns per coil" + (f", {paths} parallel path(s)" if paths else ""))
    sym = joined(sweep, ("motor", "symmetry"))
    copies = next((r["_summary"].get("model_copies") for r in sweep.rows if r["_summary"]), None)
    if sym or copies:
        parts.append("modelled as " + (f"{sym}" if sym else "") +
                     (f" (1/{number(copies)} of the machine)" if copies and copies != 1 else
                      " (the whole machine)" if copies == 1 else ""))
    if base:
        parts.append(f"base case {base}")
    return "; ".join(parts)


def mesh_text(sweep):
    """Elements and order per geometry group (from the summaries), the template or file, the element size."""
    per_group = {}
    for r in sweep.rows:
        s = r["_summary"]
        if s and r["group"] not in per_group and s.get("elements"):
            per_group[r["group"]] = s
    order = joined(sweep, ("mesh", "order"))
    if order is None and per_group:
        order = number(next(iter(per_group.values())).get("order"))
    parts = []
    if per_group:
        counts = []
        for g in sorted(per_group):
            s = per_group[g]
            c = f"{s['elements']} elements, {s.get('nodes', '?')} nodes, {s.get('dofs', '?')} unknowns"
            counts.append(f"{sweep.group_label(g, short=True)}: {c}" if sweep.many_groups() else c)
        parts.append("; ".join(counts))
    if order is not None:
        parts.append(f"order {order} (P{order} triangles)")
    template = joined(sweep, ("mesh", "template"))
    file = joined(sweep, ("mesh", "file"))
    if template:
        parts.append(f"template '{template}'")
    elif file:
        parts.append(f"file {file}")
    size = joined(sweep, ("mesh", "element_size_mm"))
    if size is not None:
        parts.append(f"element size {size} mm")
    return ", ".join(parts) if parts else "not stated in the merged file"


def positions_text(sweep):
    sweep_pos = sweep.plan.get("rotor_positions_deg") or sweep.position_deg
    motor_pos = first(sweep, "motor", "positions", "angles_deg")
    parts = []
    if sweep_pos:
        parts.append(f"the load events at {angles(sweep_pos)}° (mechanical)")
    if motor_pos and [float(a) for a in motor_pos] != [float(a) for a in (sweep_pos or [])]:
        parts.append(f"the motor run (no load) at {angles(motor_pos)}°")
    elif sweep_pos:
        parts.append("the motor run (no load) at the same positions")
    parts.append("the losses from six positions over 60 electrical degrees")
    return "; ".join(parts)


def rated_load_text(sweep):
    if not case_tables(sweep):
        return "not stated in the merged file (no case files)"
    rl = first(sweep, "demag", "rated_load")
    if not isinstance(rl, dict):
        return "none (no torque loss computed)"
    d, q = float(rl.get("id_A", 0.0)), float(rl.get("iq_A", 0.0))
    i = math.hypot(d, q)
    return (f"i_d = {number(d)} A, i_q = {number(q)} A (peak; {number(i)} A at "
            f"{number(math.degrees(math.atan2(q, d)), 4)}° from the d-axis)")


def software_lines(sweep, now=None):
    """(label, text) for the version and commit, the dates and host, and the case hash; "unknown" where
    the merged file (and the cases' summaries) have none."""
    sw = sweep.software

    def get(key):
        v = sw.get(key)
        return v[0] if v else "unknown"

    now = now or datetime.datetime.now(datetime.timezone.utc)
    return [
        ("RotorMag", f"version {get('rotormag_version')}, commit {get('git_commit')}"),
        ("Dates", f"sweep merged {get('created_utc')} on host {get('host')}; this report written "
                  f"{now.strftime('%Y-%m-%d %H:%M UTC')}"),
        ("Case SHA-256", get("case_sha256")),
    ]


def conditions(sweep):
    """The 'What was compared' lines: (label, text), in the order the report shows them."""
    lines = [("Motor", motor_text(sweep)), ("Mesh", mesh_text(sweep))]
    events = load_events(sweep)
    sweep_pos = [float(a) for a in (sweep.plan.get("rotor_positions_deg") or sweep.position_deg)]
    for e in events:
        own = e["positions_deg"] is not None and e["positions_deg"] != sweep_pos
        pos = f"; at {angles(e['positions_deg'])}°" if own else ""
        lines.append((f"Load event '{e['name']}'", e["text"] + pos))
    lines.append(("Rotor positions", positions_text(sweep)))
    lines.append(("Rated load", rated_load_text(sweep)))
    lines.append(("Magnet temperatures", ", ".join(f"{t:g}" for t in sweep.temperatures()) + " °C"))
    threshold = first(sweep, "demag", "loss_threshold")
    if threshold is None:
        threshold = next((r["_summary"]["demag"].get("loss_threshold") for r in sweep.rows
                          if r["_summary"] and "demag" in r["_summary"]), None)
    onset = next((r["_find_onset"] for r in sweep.rows if r.get("_find_onset") is not None), None)
    if onset is not None or threshold is not None:
        lines.append(("Onset search", ("off (find_onset = false)" if onset is False else "on") +
                      (f", loss threshold {number(100 * float(threshold))} %" if threshold is not None else "")))
    scenario = unique(r.get("_candidate_entry", {}).get("hre", {}).get("price_scenario") for r in sweep.rows)
    scenario = [s for s in scenario if s]
    if scenario:
        lines.append(("Price scenario", ", ".join(scenario) + f" ({sweep.currency()})"))
    return lines + software_lines(sweep)
