#!/usr/bin/env python3
"""`rotormag validate --quick -o DIR` (the verification ladder, docs/validation.md):
exit 0; validation.csv has every problem (T1, T2, T3, T4, T6, T7), observed
orders for P1 and P2 where the problem has a convergence study, and every row
passes; validation.md and convergence.csv are there; convergence_<problem>.png
are non-empty PNG files (when matplotlib is installed; else the command must
say that it is missing); no temporary file is left behind. With getdp on PATH
the same-mesh comparisons with GetDP 3.2 are rows of the table ("GetDP (a)",
"GetDP (b)": A at the nodes, energy, flux linkages, torque) that pass, and
their solve times are info lines and a Markdown section; without it the
command prints the NOT RUN line and validation.md says NOT RUN."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

rotormag = sys.argv[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WITH_ORDERS = ["T1", "T2", "T3", "T4", "T7"]
GETDP_NOT_RUN = "GetDP comparisons not run: getdp not found on PATH (Debian package getdp)"
# As find_getdp(): $ROTORMAG_GETDP when executable, else getdp on PATH.
_getdp_env = os.environ.get("ROTORMAG_GETDP", "")
have_getdp = bool(_getdp_env and os.access(_getdp_env, os.X_OK)) or shutil.which("getdp") is not None

try:
    import matplotlib  # noqa: F401  (the command runs /usr/bin/python3, as this test does)
    have_matplotlib = True
except ImportError:
    have_matplotlib = False

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "validation")
    t0 = time.monotonic()
    p = subprocess.run([rotormag, "validate", "--quick", "-o", out, "--backend", "cpu"], capture_output=True, text=True)
    seconds = time.monotonic() - t0
    sys.stdout.write(p.stdout)
    assert p.returncode == 0, f"exit {p.returncode}\n{p.stderr}"
    assert "failed" in p.stdout and " 0 failed" in p.stdout, p.stdout

    with open(os.path.join(out, "validation.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows, "validation.csv is empty"
    assert list(rows[0].keys()) == ["problem", "element", "quantity", "reference", "ours", "error", "tolerance",
                                    "criterion", "pass"], rows[0].keys()
    failed = [r for r in rows if r["pass"] != "pass"]
    assert not failed, failed
    problems = {r["problem"] for r in rows}
    for problem in ["T1", "T2", "T3", "T4", "T6", "T7"]:
        assert problem in problems, f"no row for {problem}"
    for problem in WITH_ORDERS:
        for element in ["P1", "P2"]:
            orders = [r for r in rows if r["problem"] == problem and r["element"] == element
                      and r["quantity"].startswith("observed order")]
            assert orders, f"no observed order for {problem} {element}"
            for r in orders:
                assert abs(float(r["ours"])) < 10, r
    assert any(r["problem"] == "T6" and r["element"] == "P2" and "torque" in r["quantity"] for r in rows)

    md = open(os.path.join(out, "validation.md"), encoding="utf-8").read()
    assert "## Checks" in md and "## Convergence" in md, md[:500]

    getdp_rows = [r for r in rows if r["problem"].startswith("GetDP")]
    if have_getdp:
        for problem in ["GetDP (a) magnet + iron", "GetDP (b) Prius 0 deg"]:
            mine = {r["quantity"]: r for r in getdp_rows if r["problem"] == problem}
            assert mine, f"no rows for {problem}\n{p.stdout}\n{p.stderr}"
            for quantity, tolerance in [("A at nodes, max |dA| / max |A|", 1e-6), ("magnetic energy [J/m]", 1e-6),
                                        ("torque (Arkkio) [N m]", 5e-3)]:
                assert quantity in mine, (problem, quantity, list(mine))
                assert float(mine[quantity]["tolerance"]) == tolerance, mine[quantity]
            linkages = [q for q in mine if "flux linkage" in q]
            assert len(linkages) == (1 if "(a)" in problem else 3), linkages
            for r in mine.values():
                assert r["element"] == "P1" and r["pass"] == "pass", r
                assert float(r["error"]) <= float(r["tolerance"]), r
                if r["criterion"] == "relative":
                    assert float(r["reference"]) != 0 and float(r["ours"]) != 0, r  # GetDP's value and ours
            assert problem in p.stdout and problem in md
        assert "info: GetDP (a) magnet + iron: wall time per nonlinear solve" in p.stdout, p.stdout
        assert "## Wall time per nonlinear solve" in md, md
        assert "NOT RUN" not in md and "not run" not in p.stdout
    else:
        assert not getdp_rows, getdp_rows
        lines = [line for line in p.stdout.splitlines() if line == GETDP_NOT_RUN]
        assert len(lines) == 1, p.stdout
        assert "**NOT RUN**" in md and GETDP_NOT_RUN in md, md[:800]
    assert os.path.getsize(os.path.join(out, "convergence.csv")) > 0

    if have_matplotlib:
        for problem in WITH_ORDERS:
            png = os.path.join(out, f"convergence_{problem}.png")
            assert os.path.isfile(png), f"missing {png}\n{p.stderr}"
            with open(png, "rb") as f:
                data = f.read()
            assert len(data) > 1000 and data.startswith(PNG_SIGNATURE), f"{png} is not a PNG ({len(data)} bytes)"
            assert f"convergence_{problem}.png" in md
    else:
        assert "no matplotlib" in p.stderr, p.stderr
    leftovers = [n for n in os.listdir(out) if ".tmp" in n]
    assert not leftovers, leftovers
print(f"validate --quick: {len(rows)} checks passed in {seconds:.1f} s "
      f"({len(getdp_rows)} of them GetDP comparisons{'' if have_getdp else '; GetDP NOT RUN: no getdp on PATH'})")
print("1 passed, 0 failed")
