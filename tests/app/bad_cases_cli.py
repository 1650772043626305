#!/usr/bin/env python3
"""Every bad case in tests/cases/bad through the command line: `rotormag run`
and `rotormag check` must exit with the expected code (`# exit: N`, default 2:
invalid case), print the expected positioned messages (every
`# expect: line:col: key: message` comment of the file, each printed right
after the file name; `<*>` in a fragment matches any text) and write nothing.
The files msh_NAME.toml bring every bad mesh of tests/mesh/bad/NAME.msh
through the command line; every such mesh must have one."""
import glob
import os
import re
import subprocess
import sys
import tempfile

rotormag, source_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
files = sorted(glob.glob(os.path.join(source_dir, "tests", "cases", "bad", "*.toml")))
meshes = sorted(glob.glob(os.path.join(source_dir, "tests", "mesh", "bad", "*.msh")))
assert len(files) >= 40, f"bad-case corpus too small: {len(files)}"
passed = failed = 0
for msh in meshes:
    stem = os.path.splitext(os.path.basename(msh))[0]
    if not os.path.isfile(os.path.join(source_dir, "tests", "cases", "bad", f"msh_{stem}.toml")):
        failed += 1
        print(f"FAIL {os.path.basename(msh)}: no tests/cases/bad/msh_{stem}.toml runs it")


def found(fragment, text):
    """`fragment` (with `<*>` wildcards) occurs in `text`."""
    pattern = ".*?".join(re.escape(part) for part in fragment.split("<*>"))
    return re.search(pattern, text) is not None


for path in files:
    with open(path, "rb") as f:
        lines = f.read().decode("utf-8", errors="replace").splitlines()
    expected = [line[len("# expect:"):].strip() for line in lines if line.startswith("# expect:")]
    exits = [int(line[len("# exit:"):]) for line in lines if line.startswith("# exit:")]
    exit_code = exits[0] if exits else 2
    assert expected, f"{path}: no '# expect:' line"
    for command in ("run", "check"):
        with tempfile.TemporaryDirectory() as parent:
            out = os.path.join(parent, "out")
            args = [rotormag, command, path] + (["-o", out, "--backend", "cpu"] if command == "run" else [])
            before = set(os.listdir(os.path.dirname(path))) | set(os.listdir(os.path.join(source_dir, "tests", "mesh", "bad")))
            p = subprocess.run(args, capture_output=True, text=True, errors="replace", cwd=parent, timeout=120)
            after = set(os.listdir(os.path.dirname(path))) | set(os.listdir(os.path.join(source_dir, "tests", "mesh", "bad")))
            problems = []
            if p.returncode != exit_code:
                problems.append(f"exit code {p.returncode}, expected {exit_code}")
            for fragment in expected:
                if not found(f"{os.path.basename(path)}:{fragment}", p.stderr):
                    problems.append(f"no message '<file>:{fragment}'")
            if os.path.exists(out):
                problems.append(f"created {out} ({os.listdir(out)})")
            if os.listdir(parent):
                problems.append(f"wrote {os.listdir(parent)} in the working directory")
            if after != before:
                problems.append(f"wrote {sorted(after - before)} next to the inputs")
            if problems:
                failed += 1
                print(f"FAIL {os.path.basename(path)} ({command}): {'; '.join(problems)}\n{p.stderr}")
            else:
                passed += 1
print(f"{passed} passed, {failed} failed ({len(files)} case files, {len(meshes)} of them via bad meshes)")
sys.exit(1 if failed else 0)
