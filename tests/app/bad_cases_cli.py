#!/usr/bin/env python3
"""Every bad case in tests/cases/bad through the command line: `rotormag run`
and `rotormag check` must exit non-zero, print the expected positioned
messages (every `# expect: line:col: key: message` comment of the file,
each printed right after the file name), and write nothing."""
import glob
import os
import subprocess
import sys
import tempfile

rotormag, source_dir = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(source_dir, "tests", "cases", "bad", "*.toml")))
assert len(files) >= 10, f"bad-case corpus too small: {len(files)}"
passed = failed = 0
for path in files:
    with open(path) as f:
        expected = [line[len("# expect:"):].strip() for line in f if line.startswith("# expect:")]
    assert expected, f"{path}: no '# expect:' line"
    for command in ("run", "check"):
        with tempfile.TemporaryDirectory() as parent:
            out = os.path.join(parent, "out")
            args = [rotormag, command, path] + (["-o", out, "--backend", "cpu"] if command == "run" else [])
            p = subprocess.run(args, capture_output=True, text=True)
            problems = []
            if p.returncode == 0:
                problems.append("exit code 0")
            for fragment in expected:
                if f"{os.path.basename(path)}:{fragment}" not in p.stderr:
                    problems.append(f"no message '<file>:{fragment}'")
            if os.path.exists(out) and os.listdir(out):
                problems.append(f"wrote {os.listdir(out)}")
            if problems:
                failed += 1
                print(f"FAIL {os.path.basename(path)} ({command}): {'; '.join(problems)}\n{p.stderr}")
            else:
                passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
