#!/usr/bin/python3
"""Check a motor run's NAME.hdf.series with VTK 9.1's own VTKHDF reader.

    /usr/bin/python3 tests/postproc/check_motor_series.py DIR/NAME.hdf.series \
        --expect-points 4,5,6 --expect-cells 2,4,1 \
        [--expect-point-arrays A] [--expect-cell-arrays B,Bmag,H,Hm,region]

What ParaView 5.11 does with a .hdf.series, done with VTK 9.1's vtkHDFReader
(ParaView's series reader is not in python3-vtk9): parse the JSON, then read
every listed step file, whose /VTKHDF is an HDF5 external link into NAME.hdf.
Checks, per step: the file is listed with its time, VTK reads it without any
error or warning text, the point and cell counts and the array names match,
every array has one tuple per point or cell. Also: one reader switched from
file to file (as ParaView's series reader does, going back to step 0 at the
end), NAME.hdf alone (its /VTKHDF must be step 0), and relative paths from
another working directory. Prints one line of JSON; exits 1 on any problem.
"""

import argparse
import json
import os
import sys


def fail(message):
    print(f"check_motor_series.py: {message}", file=sys.stderr)
    sys.exit(1)


def ints(text):
    return [int(v) for v in text.split(",") if v]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("series")
    parser.add_argument("--expect-points", type=ints, required=True, help="per step, comma-separated")
    parser.add_argument("--expect-cells", type=ints, required=True, help="per step, comma-separated")
    parser.add_argument("--expect-point-arrays", default="A")
    parser.add_argument("--expect-cell-arrays", default="B,Bmag,H,Hm,region")
    args = parser.parse_args()

    from vtkmodules.vtkCommonCore import vtkOutputWindow, vtkStringOutputWindow
    from vtkmodules.vtkIOHDF import vtkHDFReader

    # VTK prints errors and carries on: capture them so that they fail the check.
    errors = vtkStringOutputWindow()
    vtkOutputWindow.SetInstance(errors)

    if not args.series.endswith(".hdf.series") or not os.path.isfile(args.series):
        fail(f"{args.series}: no such .hdf.series file")
    with open(args.series, encoding="utf-8") as f:
        series = json.load(f)
    if series.get("file-series-version") != "1.0":
        fail(f"{args.series}: file-series-version is {series.get('file-series-version')!r}, expected '1.0'")
    files = series.get("files", [])
    if len(files) != len(args.expect_points) or len(files) != len(args.expect_cells):
        fail(f"{args.series}: {len(files)} files, expected {len(args.expect_points)}")
    times = [entry["time"] for entry in files]
    if any(not isinstance(t, (int, float)) for t in times) or times != sorted(times) or len(set(times)) != len(times):
        fail(f"{args.series}: times {times} are not increasing numbers")
    base = os.path.dirname(os.path.abspath(args.series))
    expected = list(zip(args.expect_points, args.expect_cells))

    def check(reader, path, want):
        """Reads `path` with `reader`; returns a list of problems."""
        if not reader.CanReadFile(path):
            return [f"{path}: vtkHDFReader cannot read it ({errors.GetOutput().strip() or 'not VTKHDF'})"]
        reader.SetFileName(path)
        reader.Update()
        text = errors.GetOutput().strip()
        if text:
            return [f"{path}: VTK reported:\n{text}"]
        grid = reader.GetOutput()
        points, cells = grid.GetNumberOfPoints(), grid.GetNumberOfCells()
        pd, cd = grid.GetPointData(), grid.GetCellData()
        point_arrays = [pd.GetArrayName(i) for i in range(pd.GetNumberOfArrays())]
        cell_arrays = [cd.GetArrayName(i) for i in range(cd.GetNumberOfArrays())]
        problems = []
        if (points, cells) != want:
            problems.append(f"{path}: {points} points and {cells} cells, expected {want[0]} and {want[1]}")
        for kind, wanted, present in (("point", args.expect_point_arrays, point_arrays),
                                      ("cell", args.expect_cell_arrays, cell_arrays)):
            for name in filter(None, wanted.split(",")):
                if name not in present:
                    problems.append(f"{path}: no {kind} array '{name}' (has {', '.join(present) or 'none'})")
        for name in point_arrays:
            if pd.GetArray(name).GetNumberOfTuples() != points:
                problems.append(f"{path}: point array '{name}' has {pd.GetArray(name).GetNumberOfTuples()} tuples")
        for name in cell_arrays:
            if cd.GetArray(name).GetNumberOfTuples() != cells:
                problems.append(f"{path}: cell array '{name}' has {cd.GetArray(name).GetNumberOfTuples()} tuples")
        return problems

    problems = []
    steps = []
    for entry, want in zip(files, expected):
        name = entry["name"]
        if os.path.dirname(name):
            problems.append(f"{name}: names in the series must be relative to it, without a directory")
        path = os.path.join(base, name)
        if not os.path.isfile(path):
            problems.append(f"{path}: listed in the series but missing")
            continue
        problems += check(vtkHDFReader(), path, want)
        steps.append({"name": name, "time": entry["time"], "points": want[0], "cells": want[1]})

    # One reader for all steps, as ParaView's series reader switches file names; back to 0 last.
    shared = vtkHDFReader()
    order = list(range(len(files))) + [0]
    for k in order:
        problems += check(shared, os.path.join(base, files[k]["name"]), expected[k])

    # NAME.hdf alone opens at position 0.
    main_file = args.series[: -len(".series")]
    problems += check(vtkHDFReader(), main_file, expected[0])

    # Relative paths from the parent directory: HDF5 must find NAME.hdf beside the step file.
    before = os.getcwd()
    os.chdir(os.path.dirname(base))
    try:
        rel = os.path.join(os.path.basename(base), files[-1]["name"])
        problems += check(vtkHDFReader(), rel, expected[-1])
    finally:
        os.chdir(before)

    if problems:
        fail("; ".join(problems))
    print(json.dumps({"series": args.series, "steps": steps}))


if __name__ == "__main__":
    main()
