#!/usr/bin/python3
"""ctest: postproc/plot_motor.py on a motor run's summary.json (written by
postproc_write_motor_sample) writes a non-empty PNG, with a third panel for
back-EMF when present, and refuses a summary that is not a motor run's.

    /usr/bin/python3 tests/postproc/plot_motor_test.py postproc/plot_motor.py SUMMARY.json WORK_DIR
"""

import json
import os
import struct
import subprocess
import sys

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    """(width, height) from the IHDR chunk; fails unless `path` is a PNG of some size."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise SystemExit(f"plot_motor_test.py: {path} is not a PNG")
    if os.path.getsize(path) < 10_000:
        raise SystemExit(f"plot_motor_test.py: {path} has only {os.path.getsize(path)} bytes")
    return struct.unpack(">II", head[16:24])


def run(script, summary, png):
    return subprocess.run([sys.executable, script, summary, png], capture_output=True, text=True)


def main():
    script, summary, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)

    with_emf = os.path.join(work, "with_back_emf.png")
    r = run(script, summary, with_emf)
    if r.returncode != 0:
        raise SystemExit(f"plot_motor_test.py: plot_motor.py failed:\n{r.stderr}")
    w3, h3 = png_size(with_emf)

    with open(summary, encoding="utf-8") as f:
        data = json.load(f)
    if "back_emf_V" not in data:
        raise SystemExit("plot_motor_test.py: the sample summary should have back_emf_V")
    del data["back_emf_V"]
    no_emf_summary = os.path.join(work, "no_back_emf.json")
    with open(no_emf_summary, "w", encoding="utf-8") as f:
        json.dump(data, f)
    no_emf = os.path.join(work, "no_back_emf.png")
    r = run(script, no_emf_summary, no_emf)
    if r.returncode != 0:
        raise SystemExit(f"plot_motor_test.py: plot_motor.py failed without back-EMF:\n{r.stderr}")
    w2, h2 = png_size(no_emf)
    if w2 != w3 or h2 >= h3:
        raise SystemExit(f"plot_motor_test.py: expected a taller plot with back-EMF ({w3}x{h3} vs {w2}x{h2})")

    # A single run's summary.json has no position arrays: refused with a message, no PNG.
    single = os.path.join(work, "single.json")
    with open(single, "w", encoding="utf-8") as f:
        json.dump({"case": "square", "energy_J_per_m": 1.0}, f)
    refused = os.path.join(work, "single.png")
    r = run(script, single, refused)
    if r.returncode != 1 or "not a motor run" not in r.stderr or os.path.exists(refused):
        raise SystemExit(f"plot_motor_test.py: a single-run summary was not refused (rc {r.returncode}): {r.stderr}")
    print(f"{with_emf}: {w3}x{h3}; {no_emf}: {w2}x{h2}")


if __name__ == "__main__":
    main()
