#!/usr/bin/env python3
"""The demagnetization example (cases/motors/prius_demag.toml: the Prius-like
motor, N42SH against a Tb-diffused N48 at 150 and 180 C) end to end:

- exit code 0, summary.json has the `demag` object with every candidate at
  every temperature and the figures the docs list;
- damage never decreases with temperature for a candidate (volume below 99 %
  of Br, flux-linkage loss), and the onset temperature lies below the
  temperature when there is loss at it;
- HRE per rotor: N42SH holds Dy and no Tb, the GBD grade Tb and no Dy,
  masses and costs positive, the currency stated;
- each per-candidate results file opens with VTK 9.1's vtkHDFReader and has
  the cell arrays demag_coef, Br_eff, margin and the per-event ones, with
  demag_coef in [-1, 1] and below 0.99 exactly in the damaged percentage."""
import json
import os
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


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL", what)


case = os.path.join(source_dir, "cases", "motors", "prius_demag.toml")
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out")
    p = subprocess.run([rotormag, "run", case, "-o", out, "--backend", "cpu", "-q"], capture_output=True, text=True)
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr[-3000:]}")
    s = json.load(open(os.path.join(out, "summary.json")))
    d = s.get("demag", {})
    check(d.get("knee_definition", "").startswith("Hk at J = 0.9 Jr"), f"knee definition: {d.get('knee_definition')}")
    names = [c["name"] for c in d.get("candidates", [])]
    check(names == ["N42SH", "N48 Tb-GBD"], f"candidates {names}")
    for c in d.get("candidates", []):
        temps = [r["temperature_C"] for r in c["temperatures"]]
        check(temps == [150.0, 180.0], f"{c['name']}: temperatures {temps}")
        rows = c["temperatures"]
        for key in ("volume_pct_coef_below_0_99", "flux_linkage_loss_pct", "back_emf_fundamental_loss_pct",
                    "torque_loss_pct", "min_margin_kA_per_m", "min_margin_at_mm", "onset_current_A",
                    "onset_temperature_C", "volume_pct_coef_at_least", "events", "results_file"):
            check(all(key in r for r in rows), f"{c['name']}: key {key} missing")
        check(rows[1]["volume_pct_coef_below_0_99"] >= rows[0]["volume_pct_coef_below_0_99"],
              f"{c['name']}: less damaged volume at 180 C than at 150 C")
        check(rows[1]["flux_linkage_loss_pct"] >= rows[0]["flux_linkage_loss_pct"] - 1e-9,
              f"{c['name']}: less flux-linkage loss at 180 C")
        for r in rows:
            if r["volume_pct_coef_below_0_99"] > 0 and r["onset_temperature_C"] is not None:
                check(r["onset_temperature_C"] <= r["temperature_C"],
                      f"{c['name']} at {r['temperature_C']}: onset {r['onset_temperature_C']} above a damaging T")
            # The per-element file.
            path = os.path.join(out, r["results_file"])
            reader = vtkHDFReader()
            reader.SetFileName(path)
            reader.Update()
            grid = reader.GetOutput()
            check("ERROR" not in errors.GetOutput().upper(), f"{path}: VTK: {errors.GetOutput()[:300]}")
            cells = grid.GetCellData()
            for array in ("demag_coef", "Br_eff", "margin", "worst_h", "knee_field", "demag_coef_peak_-id",
                          "margin_short_circuit", "Bmag"):
                check(cells.GetArray(array) is not None, f"{path}: no cell array {array}")
            if cells.GetArray("demag_coef") is not None:
                coef = vtk_to_numpy(cells.GetArray("demag_coef"))
                check(coef.min() >= -1 - 1e-12 and coef.max() <= 1 + 1e-12, f"{path}: demag_coef out of [-1, 1]")
                if r["volume_pct_coef_below_0_99"] == 0:
                    check(coef.min() >= 0.99, f"{path}: damaged elements but 0 % reported")
        hre = c["hre"]
        check(hre["magnet_kg"] > 0 and hre["hre_cost"] > 0 and hre["currency"] == "CNY", f"{c['name']}: hre {hre}")
        print(f"{c['name']}: Dy {hre['Dy_kg']:.4f} kg, Tb {hre['Tb_kg']:.4f} kg, {hre['hre_cost']:.1f} "
              f"{hre['currency']}; " + "; ".join(
                  f"{r['temperature_C']:g} C: {r['volume_pct_coef_below_0_99']:.2f} % damaged, flux "
                  f"-{r['flux_linkage_loss_pct']:.2f} %, onset {r['onset_current_A']} A / {r['onset_temperature_C']} C"
                  for r in rows))
    by_name = {c["name"]: c["hre"] for c in d.get("candidates", [])}
    if "N42SH" in by_name and "N48 Tb-GBD" in by_name:
        check(by_name["N42SH"]["Dy_kg"] > 0 and by_name["N42SH"]["Tb_kg"] == 0, "N42SH should hold Dy, not Tb")
        check(by_name["N48 Tb-GBD"]["Tb_kg"] > 0 and by_name["N48 Tb-GBD"]["Dy_kg"] == 0, "GBD grade: Tb, no Dy")

print(f"{1 if not failures else 0} passed, {1 if failures else 0} failed ({len(failures)} problems)")
sys.exit(1 if failures else 0)
