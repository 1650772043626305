#!/usr/bin/env python3
"""Sweeps end to end (docs/sweeps.md), on tests/app/data/sweep/small.sweep.toml (4 cases).

  sweep_cli.py ROTORMAG SOURCE_DIR serial   one run (its 4 cases one batch), then a second run that
                                            recomputes nothing; the same with --no-batch: equal to
                                            1e-8; a kill (SIGKILL) mid-batch, resume, merge: equal to
                                            the uninterrupted run; two shards + merge: equal again; a
                                            batch that fails is run again case by case; the merged
                                            file opens with VTK 9.1; the report; bad input
  sweep_cli.py ROTORMAG SOURCE_DIR serial-sanitize
                                            the same without the --no-batch and two-shard runs (they
                                            repeat code paths the others cover; the ASan/UBSan build
                                            runs this part, 5-10x slower than Release)
  sweep_cli.py ROTORMAG SOURCE_DIR mpi      mpirun -n 2: equal to a serial run

Equal means bit for bit in practice (1e-12) when the cases ran in the same batches; 1e-8 when the
batches differ (a batch's multigrid hierarchy is built from its first case's matrix, so the others'
Newton iterates differ at the solver's tolerance; docs/sweeps.md).
Each part asserts; any failure exits non-zero.
"""
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

ROTORMAG, SOURCE, PART = sys.argv[1], sys.argv[2], sys.argv[3]
DATA = os.path.join(SOURCE, "tests", "app", "data", "sweep")
SWEEP = os.path.join(DATA, "small.sweep.toml")
CASES = 4


def run(args, expect=0, **kw):
    p = subprocess.run([ROTORMAG] + args, capture_output=True, text=True, **kw)
    if p.returncode != expect:
        sys.exit(f"rotormag {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def table(path):
    """The merged table: {column: values}, and the case ids."""
    with h5py.File(path, "r") as f:
        assert f["Sweep"].attrs["complete"] == 1, path
        cols = [c.decode() if isinstance(c, bytes) else c for c in f["Sweep/table_columns"][()]]
        t = {}
        for c in cols:
            v = f["Sweep/table/" + c][()]
            t[c] = [x.decode() if isinstance(x, bytes) else x for x in v] if v.dtype.kind in "OS" else np.asarray(v)
        return t


def fields(path):
    """Every array of every grid of the merged file."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and ("CellData" in name or "PointData" in name or name.endswith("Points")):
                out[name] = obj[()]
        f.visititems(visit)
    return out


# Relative tolerances: the same batches, and different batches (or none).
SAME_BATCHES, OTHER_BATCHES = 1e-12, 1e-8


def same_results(a, b, what, rel):
    """Equal tables (wall times and hosts aside) and equal fields, to `rel` relative."""
    ta, tb = table(a), table(b)
    assert ta.keys() == tb.keys(), what
    assert len(ta["case_id"]) == CASES and ta["case_id"] == tb["case_id"], (what, ta["case_id"], tb["case_id"])
    assert len(set(ta["case_id"])) == CASES, f"{what}: a case appears twice"
    for c in ta:
        if c in ("wall_s",):
            continue
        if isinstance(ta[c], list):
            assert ta[c] == tb[c], (what, c, ta[c], tb[c])
        else:
            x, y = ta[c], tb[c]
            assert np.array_equal(np.isnan(x), np.isnan(y)), (what, c)
            ok = ~np.isnan(x)
            assert np.allclose(x[ok], y[ok], rtol=rel, atol=0), (what, c, x, y)
    fa, fb = fields(a), fields(b)
    assert fa.keys() == fb.keys(), (what, set(fa) ^ set(fb))
    worst = 0.0
    for k in fa:
        x, y = np.asarray(fa[k], dtype=float), np.asarray(fb[k], dtype=float)
        assert x.shape == y.shape, (what, k)
        assert np.array_equal(np.isnan(x), np.isnan(y)), (what, k)
        ok = ~np.isnan(x)
        scale = max(1e-300, float(np.max(np.abs(x[ok]))) if ok.any() else 1.0)
        diff = np.max(np.abs(x[ok] - y[ok]), initial=0.0) / scale
        assert diff <= rel, (what, k, diff)
        worst = max(worst, diff)
    print(f"{what}: {len(ta['case_id'])} cases, {len(fa)} arrays equal to {rel:g} (largest difference {worst:.2e})")


def statuses(out_dir):
    cases_dir = os.path.join(out_dir, "cases")
    return {d: json.load(open(os.path.join(cases_dir, d, "status.json"))) for d in sorted(os.listdir(cases_dir))}


def serial(tmp, repeats=True):
    ref = os.path.join(tmp, "serial")
    p = run(["sweep", SWEEP, "-o", ref, "--backend", "cpu"])
    merged = os.path.join(ref, "small.hdf")
    assert os.path.exists(merged) and os.path.exists(merged + ".series"), p.stdout
    # One group, one event: the 4 cases are one batch.
    assert f"batch of {CASES} cases solved together" in p.stderr, p.stderr
    assert all(st["batch"] == ["c0000", "c0001", "c0002", "c0003"] for st in statuses(ref).values())
    t = table(merged)
    assert sorted(set(t["candidate"])) == ["N42SH", "N48 Tb-GBD"], t["candidate"]
    assert sorted(set(t["temperature_C"].tolist())) == [150.0, 180.0]
    assert t["status"] == ["done"] * CASES
    # The physics the table carries: hotter never damages less, per candidate.
    for cand in set(t["candidate"]):
        rows = sorted((T, v) for c, T, v in zip(t["candidate"], t["temperature_C"], t["volume_pct_coef_below_0_99"])
                      if c == cand)
        assert rows[0][1] <= rows[1][1], (cand, rows)
    for col in ("flux_linkage_loss_pct", "min_margin_kA_per_m", "Dy_kg", "Tb_kg", "hre_cost", "peak_flux_linkage_a_Wb"):
        assert np.all(np.isfinite(t[col])), col

    # A second run finds everything done and recomputes nothing.
    stamps = {d: os.stat(os.path.join(ref, "cases", d, "status.json")).st_mtime_ns
              for d in os.listdir(os.path.join(ref, "cases"))}
    p = run(["sweep", SWEEP, "-o", ref, "--backend", "cpu", "--no-merge"])
    assert f"{CASES} done before" in p.stderr and "0 to run" in p.stderr, p.stderr
    assert stamps == {d: os.stat(os.path.join(ref, "cases", d, "status.json")).st_mtime_ns for d in stamps}

    # --no-batch: every case alone, the same results.
    if repeats:
        alone = os.path.join(tmp, "alone")
        p = run(["sweep", SWEEP, "-o", alone, "--backend", "cpu", "--no-batch"])
        assert "one by one" in p.stderr and "solved together" not in p.stderr, p.stderr
        assert not any("batch" in st for st in statuses(alone).values())
        same_results(merged, os.path.join(alone, "small.hdf"), "batched against --no-batch", OTHER_BATCHES)

    # The merged file opens with VTK 9.1's reader, every case's arrays on it.
    import vtk  # noqa: E402 (Debian python3-vtk9)
    r = vtk.vtkHDFReader()
    r.SetFileName(merged)
    r.Update()
    grid = r.GetOutput()
    names = {grid.GetCellData().GetArrayName(i) for i in range(grid.GetCellData().GetNumberOfArrays())}
    assert grid.GetNumberOfCells() > 1000, grid.GetNumberOfCells()
    for cid in t["case_id"]:
        for a in ("demag_coef", "margin", "Bmag"):
            assert f"{cid}.{a}" in names, (cid, a, sorted(names)[:10])
    margin = grid.GetCellData().GetArray(f"{t['case_id'][0]}.margin")
    assert margin.GetNumberOfTuples() == grid.GetNumberOfCells()
    print(f"VTK 9.1 reads {merged}: {grid.GetNumberOfCells()} cells, {len(names)} cell arrays")

    # Killed mid-batch (SIGKILL while the batch's cases are being solved), resumed, merged.
    killed = os.path.join(tmp, "killed")
    proc = subprocess.Popen([ROTORMAG, "sweep", SWEEP, "-o", killed, "--backend", "cpu", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cases_dir = os.path.join(killed, "cases")
    deadline = time.time() + 300
    while time.time() < deadline:
        done = [d for d in os.listdir(cases_dir) if not d.startswith(".")] if os.path.isdir(cases_dir) else []
        partial = [d for d in os.listdir(cases_dir) if d.startswith(".")] if os.path.isdir(cases_dir) else []
        if len(partial) == CASES:  # the batch under way
            break
        time.sleep(0.05)
    else:
        sys.exit("the sweep never started its batch")
    time.sleep(1.0)  # into the batch's solves
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished_before = sorted(d for d in os.listdir(cases_dir) if not d.startswith("."))
    left = [d for d in os.listdir(cases_dir) if d.startswith(".")]
    assert len(finished_before) < CASES, finished_before
    assert left, "no half-written case left by the kill (the test lost its race)"
    assert len(finished_before) + len(left) == CASES, (finished_before, left)  # each case whole or partial
    assert not os.path.exists(os.path.join(killed, "small.hdf"))
    stamps = {d: os.stat(os.path.join(cases_dir, d, "status.json")).st_mtime_ns for d in finished_before}
    p = run(["sweep", SWEEP, "-o", killed, "--backend", "cpu"])
    assert "half-written output of an interrupted run" in p.stderr, p.stderr
    assert f"{len(finished_before)} done before" in p.stderr, p.stderr
    assert stamps == {d: os.stat(os.path.join(cases_dir, d, "status.json")).st_mtime_ns for d in stamps}, \
        "a finished case was recomputed"
    assert not [d for d in os.listdir(cases_dir) if d.startswith(".")]
    # Resumed, the unfinished cases form the batch again (all of them unless the kill hit the renames).
    same_results(merged, os.path.join(killed, "small.hdf"), f"killed after {len(finished_before)} case(s), resumed",
                 SAME_BATCHES if not finished_before else OTHER_BATCHES)

    # Two shards (as a Slurm array would run them), then merge.
    if repeats:
        sharded = os.path.join(tmp, "shards")
        env = dict(os.environ, SLURM_ARRAY_TASK_ID="1", SLURM_ARRAY_TASK_COUNT="2", SLURM_ARRAY_TASK_MIN="0")
        p = run(["sweep", SWEEP, "-o", sharded, "--backend", "cpu"], env=env)  # shard 1/2 from Slurm's variables
        assert "shard 1/2" in p.stderr, p.stderr
        p = run(["merge", sharded], expect=6)
        assert "have not finished" in p.stderr and "c0000" in p.stderr, p.stderr
        run(["sweep", SWEEP, "-o", sharded, "--backend", "cpu", "--shard", "0/2"])
        run(["merge", sharded])
        # Each shard's two cases are a batch of their own.
        same_results(merged, os.path.join(sharded, "small.hdf"), "two shards + merge", OTHER_BATCHES)

    # A batch that fails (here every case: one Newton iteration is too few) is run again case by case,
    # so that each case gets its own status.
    failing = os.path.join(tmp, "failing")
    os.makedirs(failing)
    with open(os.path.join(failing, "base.toml"), "w") as f:
        f.write(open(os.path.join(DATA, "base.toml")).read() + "\n[solver]\nnewton_max_iterations = 1\n")
    shutil.copy(SWEEP, failing)
    p = run(["sweep", os.path.join(failing, "small.sweep.toml"), "-o", os.path.join(failing, "out"), "--backend",
             "cpu"], expect=4)
    assert f"running its {CASES} cases one at a time" in p.stderr, p.stderr
    st = statuses(os.path.join(failing, "out"))
    assert [s["status"] for s in st.values()] == ["failed"] * CASES and not any("batch" in s for s in st.values()), st

    # The report: every candidate in its tables, what was compared read from the real merged file, the
    # plots written (their content: tests/app/report_figures.py, the page: report_html_chromium.py).
    report_dir = os.path.join(tmp, "report")
    run(["report", ref, "-o", report_dir])
    md = open(os.path.join(report_dir, "ranking.md"), encoding="utf-8").read()
    for needed in ("**Load event 'peak -id'**: i_d = −100 A, i_q = 0 (peak)",
                   "**Motor**: 'sweep_base'; 48 slots, 8 poles, 1-layer winding, interior V rotor; stack length "
                   "83.82 mm", "order 1 (P1 triangles)", "**Rotor positions**: the load events at 0, 3.75°",
                   "**Rated load**: i_d = −125 A, i_q = 216.5 A (peak; 250 A at 120° from the d-axis)",
                   "**Onset search**: off (find_onset = false)", "**RotorMag**: version "):
        assert needed in md, (needed, md[:3000])
    for name in ("ranking.csv", "ranking.md", "ranking.html", "demag_volume_vs_temperature.png",
                 "flux_loss_vs_hre.png", "onset_per_grade.png", "jh_curves.png", "margin_maps.png"):
        path = os.path.join(report_dir, name)
        assert os.path.getsize(path) > 0, path
        if name.endswith(".png"):
            with open(path, "rb") as f:
                assert f.read(8) == b"\x89PNG\r\n\x1a\n", path
    for name in ("ranking.csv", "ranking.md", "ranking.html"):
        text = open(os.path.join(report_dir, name)).read()
        for cand in ("N42SH", "N48 Tb-GBD"):
            assert cand in text, (name, cand)

    # Bad input: named file, place and problem; nothing written.
    bad = os.path.join(tmp, "bad.sweep.toml")
    with open(bad, "w") as f:
        f.write(open(SWEEP).read().replace('events = ["peak -id"]', 'events = ["peak -idd"]')
                .replace('base_case = "base.toml"', f'base_case = "{os.path.join(DATA, "base.toml")}"'))
    p = run(["sweep", bad, "-o", os.path.join(tmp, "bad_out")], expect=2)
    assert f"{bad}:" in p.stderr and "sweep.events" in p.stderr and "did you mean 'peak -id'" in p.stderr, p.stderr
    assert not os.path.exists(os.path.join(tmp, "bad_out"))
    other = os.path.join(tmp, "other.sweep.toml")
    with open(other, "w") as f:
        f.write(open(bad).read().replace('"peak -idd"', '"short circuit"'))
    p = run(["sweep", other, "-o", ref], expect=6)
    assert "holds sweep 'small'" in p.stderr, p.stderr


def mpi(tmp):
    ref = os.path.join(tmp, "serial")
    run(["sweep", SWEEP, "-o", ref, "--backend", "cpu", "-q"])
    par = os.path.join(tmp, "mpi")
    cmd = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2", ROTORMAG, "sweep", SWEEP, "-o", par,
           "--backend", "cpu"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    assert "rank 0/2" in p.stderr and "rank 1/2" in p.stderr, p.stderr
    # The ranks split the work: each ran 2 of the 4 cases.
    workers = [json.load(open(os.path.join(par, "cases", d, "status.json")))["worker"]
               for d in sorted(os.listdir(os.path.join(par, "cases")))]
    assert sorted(workers) == ["rank 0/2"] * 2 + ["rank 1/2"] * 2, workers
    # Each rank's two cases are a batch of their own.
    same_results(os.path.join(ref, "small.hdf"), os.path.join(par, "small.hdf"), "mpirun -n 2", OTHER_BATCHES)


with tempfile.TemporaryDirectory() as tmp:
    {"serial": serial, "serial-sanitize": lambda t: serial(t, repeats=False), "mpi": mpi}[PART](tmp)
print("ok")
