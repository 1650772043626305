#!/usr/bin/env python3
"""A nonlinear case that cannot converge in the allowed Newton iterations is
an error: exit code 4, the reason and the residual history on stderr, and no
results written (no NAME.hdf, no summary.json)."""
import os
import subprocess
import sys
import tempfile

rotormag, source_dir = sys.argv[1], sys.argv[2]
case = os.path.join(source_dir, "cases", "examples", "t7_iron_ring.toml")

with tempfile.TemporaryDirectory() as tmp:
    text = open(case).read()
    assert "[solver]" not in text
    text = text.replace('name = "t7_iron_ring"', 'name = "t7_one_newton_step"')
    text += "\n[solver]\nnewton_max_iterations = 1\n"
    bad = os.path.join(tmp, "t7_one_newton_step.toml")
    open(bad, "w").write(text)
    out = os.path.join(tmp, "out")
    p = subprocess.run([rotormag, "run", bad, "-o", out, "--backend", "cpu"], capture_output=True, text=True)
    assert p.returncode == 4, (p.returncode, p.stderr)
    assert "no convergence in 1 Newton iterations" in p.stderr, p.stderr
    assert "|R|/|R0|" in p.stderr, "the residual history is missing"
    assert "no results written" in p.stderr
    assert not os.path.exists(out) or not os.listdir(out), os.listdir(out)
print("1 passed, 0 failed")
