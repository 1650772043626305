#!/usr/bin/env python3
"""The motor cases of cases/motors run end to end through `rotormag run`, on
coarse P1 copies with three rotor positions (the physics is checked by the
C++ tests; this checks the command and its files):

- exit code 0; summary.json has the documented motor keys, one value per
  position (position_deg, torque_Nm, flux_linkage_Wb a/b/c, psi_d_Wb,
  psi_q_Wb, torque_avg_Nm, torque_ripple_pct, back_emf_V with speed_rpm);
- NAME.hdf.series lists one step file per position with time = angle, and
  VTK 9.1's vtkHDFReader reads every step file and NAME.hdf without errors;
- the rotor visibly turns: between two steps, some points moved exactly by
  the rotation between the two angles (1e-9 m) and the others did not move.

Then the Prius case is exported with `rotormag mesh`, read back as a .msh
with [motor] giving slots, poles and the sector, and solved again: torque and
flux linkages equal the template run's to 1e-9 relative (a user's mesh that
follows docs/motor-mesh.md runs like a template)."""
import glob
import json
import math
import os
import re
import subprocess
import sys
import tempfile

rotormag, source_dir = sys.argv[1], sys.argv[2]

from vtkmodules.vtkCommonCore import vtkOutputWindow, vtkStringOutputWindow  # noqa: E402
from vtkmodules.vtkIOHDF import vtkHDFReader  # noqa: E402
from vtkmodules.util.numpy_support import vtk_to_numpy  # noqa: E402

errors = vtkStringOutputWindow()
vtkOutputWindow.SetInstance(errors)
failures = []


def fail(what):
    failures.append(what)
    print("FAIL", what)


def coarse_copy(case_path, tmp, positions="angles_deg = [0.0, 1.3, 2.6]"):
    """The case with P1, a coarse mesh and three positions."""
    text = open(case_path).read()
    text = re.sub(r"(?m)^order = 2", "order = 1", text)
    text = re.sub(r"(?m)^element_size_mm = [0-9.]+", "element_size_mm = 5.0", text)
    text = re.sub(r"(?ms)^\[motor\.positions\].*?(?=^\[)", "[motor.positions]\n" + positions + "\n\n", text)
    out = os.path.join(tmp, os.path.basename(case_path))
    open(out, "w").write(text)
    return out


def read_grid(path):
    errors.SetOutputString("") if hasattr(errors, "SetOutputString") else None
    reader = vtkHDFReader()
    reader.SetFileName(path)
    reader.Update()
    grid = reader.GetOutput()
    text = errors.GetOutput()
    if text and "ERROR" in text.upper():
        fail(f"{path}: VTK reported: {text.strip()[:300]}")
    return grid


def run(case, out):
    p = subprocess.run([rotormag, "run", case, "-o", out, "--backend", "cpu", "-q"], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"{case}: exit {p.returncode}: {p.stderr[-2000:]}")
        return None
    return json.load(open(os.path.join(out, "summary.json")))


with tempfile.TemporaryDirectory() as tmp:
    # Cases with [demag] run in tests/app/demag_example.py (their analysis takes a minute).
    cases = sorted(c for c in glob.glob(os.path.join(source_dir, "cases", "motors", "*.toml"))
                   if "[demag]" not in open(c).read())
    if len(cases) < 3:
        fail(f"expected at least 3 motor cases in cases/motors, found {len(cases)}")
    summaries = {}
    for case in cases:
        name = os.path.splitext(os.path.basename(case))[0]
        copy = coarse_copy(case, tmp)
        out = os.path.join(tmp, name + ".out")
        s = run(copy, out)
        if s is None:
            continue
        summaries[name] = (s, out)
        n = len(s.get("position_deg", []))
        if s.get("position_deg") != [0.0, 1.3, 2.6]:
            fail(f"{name}: position_deg {s.get('position_deg')}")
        for key in ("torque_Nm", "psi_d_Wb", "psi_q_Wb"):
            if len(s.get(key, [])) != n:
                fail(f"{name}: {key} has {len(s.get(key, []))} values for {n} positions")
        for phase in "abc":
            if len(s.get("flux_linkage_Wb", {}).get(phase, [])) != n:
                fail(f"{name}: flux_linkage_Wb.{phase} missing or wrong length")
        for key in ("torque_avg_Nm", "torque_ripple_pct", "torque_peak_to_peak_Nm"):
            if key not in s:
                fail(f"{name}: no {key}")
        if "speed_rpm" in open(case).read():
            emf = s.get("back_emf_V")
            if not emf or len(emf.get("phase", {}).get("a", [])) != n or len(emf.get("line_ab", [])) != n:
                fail(f"{name}: back_emf_V missing or wrong length: {emf}")
        # The time steps.
        series_path = os.path.join(out, s["case"] + ".hdf.series")
        series = json.load(open(series_path))
        files = series.get("files", [])
        if [f["time"] for f in files] != s["position_deg"]:
            fail(f"{name}: series times {[f['time'] for f in files]}")
        grids = [read_grid(os.path.join(out, f["name"])) for f in files]
        main = read_grid(os.path.join(out, s["case"] + ".hdf"))
        if main.GetNumberOfPoints() != grids[0].GetNumberOfPoints():
            fail(f"{name}: NAME.hdf is not position 0")
        for g, f in zip(grids, files):
            if g.GetNumberOfCells() == 0 or g.GetCellData().GetArray("Bmag") is None:
                fail(f"{name}: {f['name']} has no cells or no Bmag")
        # The rotor turns: points of the first step that are common to the last.
        a = vtk_to_numpy(grids[0].GetPoints().GetData())
        b = vtk_to_numpy(grids[-1].GetPoints().GetData())
        common = min(len(a), len(b))
        turn = math.radians(s["position_deg"][-1] - s["position_deg"][0])
        c, sn = math.cos(turn), math.sin(turn)
        moved = still = other = 0
        for i in range(common):
            x, y = a[i][0], a[i][1]
            if abs(b[i][0] - x) < 1e-9 and abs(b[i][1] - y) < 1e-9:
                still += 1
            elif abs(b[i][0] - (c * x - sn * y)) < 1e-9 and abs(b[i][1] - (sn * x + c * y)) < 1e-9:
                moved += 1
            else:
                other += 1
        # Band mid-nodes are re-created per position; every other point either
        # turned with the rotor or stayed with the stator.
        if moved == 0 or still == 0 or other > 0.05 * common:
            fail(f"{name}: rotor not seen turning: {moved} points turned, {still} still, {other} neither")
        print(f"{name}: {n} positions, torque {s['torque_Nm']}, psi_a {s['flux_linkage_Wb']['a']}, "
              f"{moved} points turned by {math.degrees(turn):.1f} deg, {still} still")

    # The Prius template exported and run again as a user's .msh.
    prius = coarse_copy(os.path.join(source_dir, "cases", "motors", "prius_ipm_no_load.toml"), tmp)
    text = open(prius).read().replace("[motor.positions]\n", "[motor.positions]\n", 1)
    text = re.sub(r"(?ms)^\[motor\.load\].*?(?=^\[)", "", text)
    text = text.replace("[motor.positions]", "[motor.load]\nid_A = -40.0\niq_A = 120.0\n\n[motor.positions]")
    loaded = os.path.join(tmp, "prius_loaded.toml")
    open(loaded, "w").write(text)
    msh = os.path.join(tmp, "prius_sector.msh")
    p = subprocess.run([rotormag, "mesh", loaded, "-o", msh], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"rotormag mesh: {p.stderr}")
    start, end = text.index("[mesh]"), text.index("[motor]")
    user = text[:start] + '[mesh]\nfile = "prius_sector.msh"\n\n' + text[end:]
    user = user.replace('symmetry = "sector"', "sector_deg = 45.0\nantiperiodic = true")
    user = user.replace("[motor.winding]\n", "[motor.winding]\nslots = 48\npoles = 8\nlayers = 1\n")
    user_case = os.path.join(tmp, "prius_user_mesh.toml")
    open(user_case, "w").write(user)
    a = run(loaded, os.path.join(tmp, "template.out"))
    b = run(user_case, os.path.join(tmp, "user.out"))
    if a and b:
        def rel(x, y, scale):
            return abs(x - y) / scale
        scale_t = max(abs(t) for t in a["torque_Nm"])
        scale_psi = max(abs(v) for ph in "abc" for v in a["flux_linkage_Wb"][ph])
        worst = max([rel(x, y, scale_t) for x, y in zip(a["torque_Nm"], b["torque_Nm"])] +
                    [rel(x, y, scale_psi) for ph in "abc"
                     for x, y in zip(a["flux_linkage_Wb"][ph], b["flux_linkage_Wb"][ph])])
        print(f"Prius template vs its exported .msh: worst relative difference {worst:.2e} "
              f"(torque {a['torque_Nm']} / {b['torque_Nm']})")
        if not worst < 1e-9:
            fail(f"template and user mesh differ by {worst:.2e}")

print(f"{len(cases) + 1 - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
