#!/usr/bin/env python3
"""--backend on the command line. Without a usable GPU, `--backend cuda` must
fail with exit code 5, say why, and write nothing, while `--backend auto`
falls back to the CPU with a one-line notice. With a GPU, CUDA and CPU runs
must agree to 1e-10 relative in energy."""
import json
import os
import subprocess
import sys
import tempfile

rotormag, source_dir = sys.argv[1], sys.argv[2]
case = os.path.join(source_dir, "cases", "examples", "t7_iron_ring.toml")


def run(backend, out):
    p = subprocess.run([rotormag, "run", case, "-o", out, "--backend", backend, "-q"], capture_output=True, text=True)
    return p.returncode, p.stderr


with tempfile.TemporaryDirectory() as tmp:
    cpu_dir, cuda_dir, auto_dir = (os.path.join(tmp, d) for d in ("cpu", "cuda", "auto"))
    code, err = run("cpu", cpu_dir)
    assert code == 0, err
    code, err = run("cuda", cuda_dir)
    if code == 0:
        energy = [json.load(open(os.path.join(d, "summary.json")))["energy_J_per_m"] for d in (cpu_dir, cuda_dir)]
        assert abs(energy[0] - energy[1]) <= 1e-10 * abs(energy[0]), energy
        print("CUDA device present: CUDA and CPU energies agree", energy)
    else:
        assert code == 5, f"expected exit code 5, got {code}: {err}"
        assert "no usable CUDA device" in err or "no CUDA backend" in err, err
        assert not os.path.exists(cuda_dir), "a failed run must write nothing"
        code, err = run("auto", auto_dir)
        assert code == 0, err
        notices = [line for line in err.splitlines() if "using the CPU backend" in line]
        assert len(notices) == 1, err
        assert json.load(open(os.path.join(auto_dir, "summary.json")))["backend"] == "cpu"
        print("no CUDA device:", notices[0])
print("1 passed, 0 failed")
