#!/usr/bin/env python3
"""The demo case end to end: `rotormag run` on cases/examples/demo_ipm.toml,
then summary.json checked and NAME.hdf read back with VTK 9.1's vtkHDFReader
(point and cell counts against the summary, array names)."""
import json
import os
import subprocess
import sys
import tempfile

rotormag, source_dir = sys.argv[1], sys.argv[2]
case = os.path.join(source_dir, "cases", "examples", "demo_ipm.toml")
reader = os.path.join(source_dir, "postproc", "read_results.py")

with tempfile.TemporaryDirectory() as out:
    run = subprocess.run([rotormag, "run", case, "-o", out, "--backend", "cpu"], capture_output=True, text=True)
    sys.stderr.write(run.stderr)
    print(run.stdout)
    assert run.returncode == 0, f"rotormag run failed with exit code {run.returncode}"
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)
    for key in ("case", "backend", "elements", "dofs", "order", "newton_iterations", "converged",
                "energy_J_per_m", "wall_s"):
        assert key in summary, f"summary.json lacks {key}"
    assert summary["converged"] is True
    assert summary["backend"] == "cpu"
    assert summary["order"] == 2
    assert summary["newton_iterations"] >= 2, "the steel is nonlinear: Newton needs more than one step"
    assert summary["energy_J_per_m"] > 0
    assert 0 < summary["dofs"] < summary["nodes"]
    hdf = os.path.join(out, summary["case"] + ".hdf")
    check = subprocess.run(["/usr/bin/python3", reader, hdf, "--expect-points", str(summary["nodes"]),
                            "--expect-cells", str(summary["elements"]), "--expect-point-arrays", "A",
                            "--expect-cell-arrays", "B,Bmag,H,Hm,region"], capture_output=True, text=True)
    sys.stderr.write(check.stderr)
    print(check.stdout)
    assert check.returncode == 0, "vtkHDFReader check failed"
    info = json.loads(check.stdout.strip().splitlines()[-1])
    # Saturated bridges reach 1.8-2.2 T; the magnets' own field stays below Br.
    assert 0.5 < info["Bmag_range_T"][1] < 3.0, info
    # The reader accepts the file and refuses a truncated copy (as if a run died mid-write).
    inspect = subprocess.run([rotormag, "inspect", hdf], capture_output=True, text=True)
    assert inspect.returncode == 0 and "(complete)" in inspect.stdout, inspect.stdout + inspect.stderr
    truncated = os.path.join(out, "truncated.hdf")
    with open(hdf, "rb") as src, open(truncated, "wb") as dst:
        dst.write(src.read(os.path.getsize(hdf) // 2))
    inspect = subprocess.run([rotormag, "inspect", truncated], capture_output=True, text=True)
    assert inspect.returncode == 7, (inspect.returncode, inspect.stderr)
    assert "not a complete RotorMag results file" in inspect.stderr, inspect.stderr
    os.remove(truncated)
    leftovers = [n for n in os.listdir(out) if ".tmp" in n]
    assert not leftovers, f"temporary files left: {leftovers}"
print("demo end to end: 1 passed, 0 failed")
