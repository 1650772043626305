"""The merged sweep file read into one row per case (for postproc/sweep_report.py).

The report reads nothing else: `rotormag merge` (postproc/sweep_results.hpp) has put the table
(/Sweep/table), the plan (/Sweep/plan), every case's summary and case file (/Sweep/cases/<id>) and
the grid at 0 deg with every case's cell arrays (/VTKHDF) into DIR/NAME.hdf. A row is the table's
row with what the tables need from the case's summary (its notes, HRE notes, whether the onset
search ran) and its HRE mass; keys starting with '_' are not table columns (`_case`: the case file
parsed, `_summary`: its summary.json). The software that wrote the file (SOFTWARE_KEYS) is read from
attributes of the file's root, /RotorMag or /Sweep, or else from the cases' summaries. What is wrong
with the file is a ReportError, which the entry point reports and exits on.
"""

import json
import math
import os

import h5py
import numpy as np

try:
    import tomllib  # Python >= 3.11
except ImportError:  # pragma: no cover
    tomllib = None

VTK_TRIANGLE, VTK_QUADRATIC_TRIANGLE = 5, 22

# What produced the file: attributes of the merged file (its root, /RotorMag or /Sweep) and, failing
# them, keys of the cases' summaries with the same names. Absent: the report says "unknown".
SOFTWARE_KEYS = ("rotormag_version", "git_commit", "created_utc", "host", "case_sha256")
SOFTWARE_GROUPS = ("/", "/RotorMag", "/Sweep")


class ReportError(Exception):
    """A problem with the report's input or output, worded for the user."""


def text_of(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def finite(v):
    """A number the table has (missing values are NaN, or absent)."""
    return v is not None and isinstance(v, float) and math.isfinite(v)


def finished(r):
    """The case ran to the end (status done); a failed case has no results to show."""
    return r.get("status") == "done"


def unique(items):
    """The items without repeats, in their first order (notes repeat from case to case)."""
    seen, out = set(), []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


class Sweep:
    """The merged file's table, plan, summaries and the grid at 0 deg."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            raise ReportError(f"{path}: no such file")
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise ReportError(f"{path}: not an HDF5 file ({e})")
        with f:
            if "Sweep" not in f or not isinstance(f["Sweep"], h5py.Group):
                raise ReportError(f"{path}: not a merged sweep file (no /Sweep group); "
                                  "merge the sweep directory first (rotormag merge DIR)")
            s = f["Sweep"]
            complete = s.attrs.get("complete")
            try:
                complete = int(np.asarray(complete).reshape(-1)[0]) if complete is not None else None
            except (TypeError, ValueError, IndexError):
                complete = None
            if complete != 1:
                raise ReportError(f"{path}: the merged sweep file is incomplete (/Sweep@complete is "
                                  f"{'missing' if complete is None else complete}, not 1): "
                                  "merge again (rotormag merge DIR)")
            try:
                self._read(f, s)
            except (KeyError, ValueError, TypeError) as e:
                raise ReportError(f"{path}: unreadable merged sweep file ({type(e).__name__}: {e})")

    def _read(self, f, s):
        self.name = text_of(s.attrs.get("name", os.path.splitext(os.path.basename(self.path))[0]))
        self.plan = json.loads(text_of(s["plan"][()]))
        columns = [text_of(c) for c in s["table_columns"][()]]
        table = s["table"]
        self.columns = columns
        self.units = {c: text_of(table[c].attrs.get("units", "")) for c in columns}
        data = {}
        for c in columns:
            d = table[c][()]
            if d.dtype.kind in "fiu":
                data[c] = [float(v) for v in d]
            else:
                data[c] = [text_of(v) for v in d]
        n = len(data["case_id"])
        self.rows = [{c: data[c][i] for c in columns} for i in range(n)]
        self.geometry_keys = list(self.plan.get("geometry_keys", []))
        self.groups = list(self.plan.get("groups", [{}]))
        self.events = list(self.plan.get("events", []))
        self.position_deg = [float(x) for x in s["position_deg"][()]] if "position_deg" in s else []
        for r in self.rows:
            cid = r["case_id"]
            summary, case = None, {}
            if "cases" in s and cid in s["cases"]:
                g = s["cases"][cid]
                if "summary_json" in g:
                    summary = json.loads(text_of(g["summary_json"][()]))
                if "case_toml" in g and tomllib is not None:
                    try:
                        case = tomllib.loads(text_of(g["case_toml"][()]))
                    except tomllib.TOMLDecodeError:
                        case = {}
            r["_summary"] = summary
            r["_case"] = case
            r["_find_onset"] = bool(case.get("demag", {}).get("find_onset", True)) if case else None
            r["_temperature_row"] = {}
            if summary and "demag" in summary:
                try:
                    r["_temperature_row"] = summary["demag"]["candidates"][0]["temperatures"][0]
                    r["_candidate_entry"] = summary["demag"]["candidates"][0]
                except (KeyError, IndexError, TypeError):
                    pass
            notes = list(r["_temperature_row"].get("notes", []) or [])
            notes += list(r.get("_candidate_entry", {}).get("warnings", []) or [])
            hre_notes = r.get("_candidate_entry", {}).get("hre", {}).get("notes", []) or []
            r["_notes"] = notes
            r["_hre_notes"] = list(hre_notes)
            dy, tb = r.get("Dy_kg", math.nan), r.get("Tb_kg", math.nan)
            r["hre_kg"] = (0.0 if not finite(dy) else dy) + (0.0 if not finite(tb) else tb) \
                if (finite(dy) or finite(tb)) else math.nan
            r["group"] = int(r["group"]) if finite(r.get("group")) else 0
        self._read_grid(f)
        self.software = self._read_software(f)

    def _read_software(self, f):
        """SOFTWARE_KEYS -> (text, where it was read) or None: the merged file's attributes first, then
        the cases' summaries (several different values are joined)."""
        out = {}
        for key in SOFTWARE_KEYS:
            out[key] = None
            for g in SOFTWARE_GROUPS:
                if g in f and key in f[g].attrs:
                    v = np.asarray(f[g].attrs[key]).reshape(-1)
                    out[key] = (", ".join(text_of(x) for x in v), f"{g}@{key}" if g != "/" else f"@{key}")
                    break
            if out[key] is None:
                values = unique(text_of(r["_summary"][key]) for r in self.rows
                                if r["_summary"] and r["_summary"].get(key) not in (None, ""))
                if values:
                    out[key] = (", ".join(values), f"summary.json {key} of the cases")
        return out

    def _read_grid(self, f):
        self.grid = None
        if "VTKHDF" not in f:
            return
        v = f["VTKHDF"]
        points = v["Points"][()][:, :2] * 1e3  # mm
        conn = v["Connectivity"][()]
        offsets = v["Offsets"][()]
        types = v["Types"][()]
        if not np.all(np.isin(types, (VTK_TRIANGLE, VTK_QUADRATIC_TRIANGLE))):
            raise ValueError("/VTKHDF: cells other than (quadratic) triangles")
        # corners: the first 3 nodes of each cell (P2 cells have 6)
        tri = np.stack([conn[offsets[:-1] + k] for k in range(3)], axis=1)
        cd = v["CellData"]
        self.grid = {"points": points, "triangles": tri, "cd": cd.name}
        self._cell_names = set(cd.keys())

    def cell_array(self, name):
        """One cell array of the grid, or None. Read when asked: a case's arrays are the bulk of the file."""
        if self.grid is None or name not in self._cell_names:
            return None
        with h5py.File(self.path, "r") as f:
            return f[self.grid["cd"]][name][()]

    # ------------------------------------------------ what the tables and plots name

    def temperatures(self):
        """The sweep's magnet temperatures, ascending."""
        return sorted({r["temperature_C"] for r in self.rows})

    def finished_temperatures(self):
        """The magnet temperatures with at least one finished case, ascending."""
        return sorted({r["temperature_C"] for r in self.rows if finished(r)})

    def currency(self):
        """The price scenarios' currency (several: joined by '/') for the HRE cost."""
        c = sorted({r.get("currency", "") for r in self.rows if r.get("currency")})
        return "/".join(c) if c else "currency?"

    def many_groups(self):
        """Whether the tables and plots have to name the geometry group of a case."""
        return len({r["group"] for r in self.rows}) > 1 or bool(self.geometry_keys)

    def group_label(self, g, short=False):
        """'group 1: magnet_thickness_mm = 7' (short: 'g1 magnet_thickness_mm = 7')."""
        geometry = self.groups[g] if 0 <= g < len(self.groups) else {}
        if not geometry:
            return "base geometry" if not short else f"g{g}"
        parts = [f"{k.split('.')[-1]} = {geometry[k]:g}" if isinstance(geometry[k], (int, float))
                 else f"{k.split('.')[-1]} = {geometry[k]}" for k in self.geometry_keys if k in geometry]
        return (f"group {g}: " if not short else f"g{g} ") + ", ".join(parts)
