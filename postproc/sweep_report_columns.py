"""How a case's values appear in the report's tables: the cells, the columns and what they mean.

The Markdown and HTML tables show the same columns (human_columns, explained by LEGEND), rounded for
reading; the CSV has every column in full precision (CSV_COLUMNS). The flags read from a case's
notes (NOTE_FLAGS) are defined once here for both. A missing value is shown as "—".
"""

import math
import re

from sweep_report_merged import finite, finished
from sweep_report_ranking import verdict


def fmt(v, digits=2, scale=1.0, small=True):
    """v * scale to `digits` decimals, "—" when missing; with `small`, a non-zero value that would round to
    0 is shown as "<0.01" (or ">-0.01")."""
    if not finite(v):
        return "—"
    x = v * scale
    if small and x != 0 and abs(x) < 0.5 * 10 ** (-digits):
        return f"<{10 ** (-digits):.{digits}f}" if x > 0 else f">-{10 ** (-digits):.{digits}f}"
    return f"{x:.{digits}f}"


def onset_text(r, key, digits):
    """The onset current or temperature, or why there is none."""
    v = r.get(key)
    if finite(v):
        return f"{v:.{digits}f}"
    if not finished(r):
        return "—"
    if r.get("_find_onset") is False:
        return "not computed"
    return "not found"


# Flags read from a case's notes (summary.json demag...temperatures[0].notes): the temperature outside the
# range the grade's alpha and beta were measured over, above its maximum working temperature, HcJ clamped.
NOTE_FLAGS = [
    ("temperature_extrapolated", "T extrapolated", re.compile(r"is outside .*the range alpha and beta were measured")),
    ("above_max_working_temperature", "above Tmax", re.compile(r"above the grade's maximum working temperature")),
    ("hcj_clamped", "HcJ clamped", re.compile(r"gives HcJ .*clamped")),
]
NOTE_FLAG_KEYS = [k for k, _, _ in NOTE_FLAGS]


def note_flag(r, key):
    if not finished(r):
        return None
    for k, _, pattern in NOTE_FLAGS:
        if k == key:
            return any(pattern.search(n) for n in r["_notes"])
    return None


def flags_text(r):
    f = []
    if r.get("low_confidence") == 1.0:
        f.append("low confidence")
    if r.get("outside_data") == 1.0:
        f.append("outside data")
    for key, label, _ in NOTE_FLAGS:
        if note_flag(r, key):
            f.append(label)
    return ", ".join(f)


# The human columns that hold text (left-aligned); the others hold numbers.
TEXT_COLUMNS = ("Candidate", "Grade", "Verdict", "at", "Flags", "Case")


def hre_text(r):
    """The HRE per rotor by element: "0.0374 Dy", "0.0062 Tb", "0.0040 Dy + 0.0012 Tb", "0" without (the CSV
    has Dy_kg, Tb_kg and their sum)."""
    parts = [f"{fmt(r.get(k), 4, small=False)} {el}" for k, el in (("Dy_kg", "Dy"), ("Tb_kg", "Tb"))
             if finite(r.get(k)) and r.get(k) > 0]
    if parts:
        return " + ".join(parts)
    return "0" if finite(r.get("hre_kg")) else "—"


# The human table: (header, cell function)
def human_columns(sweep):
    cur = sweep.currency()
    return [
        ("Rank", lambda r: str(r["rank"]) if r["rank"] else "—"),
        ("Candidate", lambda r: r["candidate"]),
        ("Grade", lambda r: r.get("material") or "—"),
        ("Verdict", verdict),
        ("ψd no load (mWb)", lambda r: fmt(r.get("psi_d_no_load_before_Wb"), 1, 1e3)),
        ("Flux loss (%)", lambda r: fmt(r.get("flux_linkage_loss_pct"), 2)),
        ("Torque, rated load (N·m)", lambda r: fmt(r.get("torque_before_Nm"), 1)),
        ("Torque loss (%)", lambda r: fmt(r.get("torque_loss_pct"), 2)),
        ("Demag. volume (%)", lambda r: fmt(r.get("volume_pct_coef_below_0_99"), 1)),
        ("Min margin (kA/m)", lambda r: fmt(r.get("min_margin_kA_per_m"), 1, small=False)),
        ("at", lambda r: r.get("min_margin_region") or "—"),
        ("Onset current (A)", lambda r: onset_text(r, "onset_current_A", 1)),
        ("Onset temp. (°C)", lambda r: onset_text(r, "onset_temperature_C", 0)),
        ("HRE (kg)", hre_text),
        (f"HRE cost ({cur})", lambda r: fmt(r.get("hre_cost"), 2, small=False)),
        ("Magnets (kg)", lambda r: fmt(r.get("magnet_kg"), 3, small=False)),
        ("Flags", flags_text),
        ("Case", lambda r: r["case_id"]),
    ]


CSV_COLUMNS = [
    "rank", "verdict", "group", "temperature_C", "event", "candidate", "material", "case_id", "status",
    "psi_d_no_load_before_Wb", "psi_d_no_load_after_Wb", "flux_linkage_loss_pct", "back_emf_fundamental_loss_pct",
    "torque_before_Nm", "torque_after_Nm", "torque_loss_pct",
    "volume_pct_coef_below_0_99", "volume_pct_coef_below_0_95", "volume_pct_coef_below_0_90",
    "min_margin_kA_per_m", "min_margin_region", "onset_current_A", "onset_temperature_C", "onset_note",
    "magnet_kg", "Dy_kg", "Tb_kg", "hre_kg", "hre_cost", "currency", "low_confidence", "outside_data",
] + NOTE_FLAG_KEYS + ["notes"]


def csv_columns(sweep):
    """The CSV's columns: the sweep's geometry keys after the group."""
    return CSV_COLUMNS[:3] + sweep.geometry_keys + CSV_COLUMNS[3:]


def csv_cell(sweep, r, c):
    """Column c of the case's CSV row: numbers in full precision, "" where there is none."""
    if c == "rank":
        return r["rank"] if r["rank"] else ""
    if c == "verdict":
        return verdict(r)
    if c == "notes":
        return " | ".join(r["_notes"])
    if c == "onset_note":
        missing = [k for k in ("onset_current_A", "onset_temperature_C") if not finite(r.get(k))]
        return ("" if not finished(r) or not missing else
                "not computed (find_onset = false)" if r.get("_find_onset") is False else
                "not found: " + ", ".join(missing))
    if c in NOTE_FLAG_KEYS:
        v = note_flag(r, c)
        return "" if v is None else int(v)
    if c in sweep.geometry_keys:
        v = sweep.groups[r["group"]].get(c) if r["group"] < len(sweep.groups) else None
        return "" if v is None else v
    v = r.get(c, "")
    if isinstance(v, float):
        if c in ("low_confidence", "outside_data") and finite(v):
            return int(v)
        return f"{v:.10g}" if math.isfinite(v) else ""
    return v


# The human table's columns explained (under "Columns" in ranking.md and ranking.html)
LEGEND = [
    ("ψd no load", "the d-axis no-load flux linkage (fundamental, mean over six positions) of the undamaged "
                   "candidate magnets at the temperature"),
    ("Flux loss", "1 − ψd,after/ψd,before at no load after the load event: the back-EMF fundamental loses "
                  "the same fraction; above 100 % the damaged magnets' flux has reversed"),
    ("Torque, rated load", "mean torque at the case's rated_load with undamaged magnets; torque loss: "
                           "after the event"),
    ("Demag. volume", "% of the magnet volume with demag_coef = Br'/Br(T) < 0.99"),
    ("Min margin", "smallest Hk − h over the magnet elements after the events (< 0: past the knee) and "
                   "the region it is in"),
    ("Onset current / temp.", "the largest current (A, peak) / highest temperature of the worst event "
                              "without 1 % loss in any element; \"not computed\": find_onset = false; "
                              "\"not found\": beyond the search range"),
    ("HRE", "heavy rare earth per rotor by element (Dy, Tb), bulk and GBD uptake; cost: rare-earth raw "
            "material at the price scenario (an estimate, see the notes)"),
    ("Flags", "low confidence: estimated inputs; outside data: a composition relation extrapolated "
              "(docs/magnet-model.md) (both from the candidate); from the case's notes: T extrapolated: the "
              "temperature is outside the range the grade's alpha and beta were measured over; above Tmax: above "
              "the grade's maximum working temperature (a catalogue rating); HcJ clamped: the linear beta law "
              "gave HcJ <= 2 % of HcJ20"),
]

