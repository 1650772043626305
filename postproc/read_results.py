#!/usr/bin/python3
"""Check a RotorMag results file with VTK's own VTKHDF reader.

    /usr/bin/python3 postproc/read_results.py FILE.hdf [--expect-points N]
        [--expect-cells M] [--expect-point-arrays A] [--expect-cell-arrays B,Bmag,H,Hm,region]

Reads FILE.hdf with vtkHDFReader (Debian's python3-vtk9, VTK 9.1: what
ParaView 5.11 uses too) and prints one line of JSON: points, cells, arrays and
the range of Bmag. Exits 1 with a message on any VTK error or warning text, on
counts that differ from the expected ones, or on missing arrays. VTK 9.1
reads several broken layouts as an empty grid without an error, so the
expected counts are what catches them. Needs no display.
"""

import argparse
import json
import os
import sys


def fail(message):
    print(f"read_results.py: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--expect-points", type=int)
    parser.add_argument("--expect-cells", type=int)
    parser.add_argument("--expect-point-arrays", default="", help="comma-separated names")
    parser.add_argument("--expect-cell-arrays", default="", help="comma-separated names")
    args = parser.parse_args()

    if not os.path.isfile(args.file):
        fail(f"{args.file}: no such file")

    from vtkmodules.vtkCommonCore import vtkOutputWindow, vtkStringOutputWindow
    from vtkmodules.vtkIOHDF import vtkHDFReader
    from vtkmodules.util.numpy_support import vtk_to_numpy

    # VTK prints errors to stderr and carries on; capture them so they fail the check.
    errors = vtkStringOutputWindow()
    vtkOutputWindow.SetInstance(errors)

    reader = vtkHDFReader()
    if not reader.CanReadFile(args.file):
        fail(f"{args.file}: vtkHDFReader cannot read it ({errors.GetOutput().strip() or 'not VTKHDF'})")
    reader.SetFileName(args.file)
    reader.Update()
    text = errors.GetOutput().strip()
    if text:
        fail(f"{args.file}: VTK reported:\n{text}")
    grid = reader.GetOutput()
    if grid is None:
        fail(f"{args.file}: no output")

    points, cells = grid.GetNumberOfPoints(), grid.GetNumberOfCells()
    pd, cd = grid.GetPointData(), grid.GetCellData()
    point_arrays = [pd.GetArrayName(i) for i in range(pd.GetNumberOfArrays())]
    cell_arrays = [cd.GetArrayName(i) for i in range(cd.GetNumberOfArrays())]

    problems = []
    if args.expect_points is not None and points != args.expect_points:
        problems.append(f"{points} points, expected {args.expect_points}")
    if args.expect_cells is not None and cells != args.expect_cells:
        problems.append(f"{cells} cells, expected {args.expect_cells}")
    for kind, wanted, present in (("point", args.expect_point_arrays, point_arrays),
                                  ("cell", args.expect_cell_arrays, cell_arrays)):
        for name in filter(None, wanted.split(",")):
            if name not in present:
                problems.append(f"no {kind} array '{name}' (has {', '.join(present) or 'none'})")
    # Arrays must match the grid they belong to, or ParaView drops them.
    for name in point_arrays:
        if pd.GetArray(name).GetNumberOfTuples() != points:
            problems.append(f"point array '{name}' has {pd.GetArray(name).GetNumberOfTuples()} tuples")
    for name in cell_arrays:
        if cd.GetArray(name).GetNumberOfTuples() != cells:
            problems.append(f"cell array '{name}' has {cd.GetArray(name).GetNumberOfTuples()} tuples")
    if problems:
        fail(f"{args.file}: " + "; ".join(problems))

    summary = {
        "file": args.file,
        "points": points,
        "cells": cells,
        "point_arrays": point_arrays,
        "cell_arrays": cell_arrays,
    }
    if cells > 0:
        # 5: linear triangle, 22: quadratic triangle.
        summary["cell_types"] = sorted({grid.GetCellType(i) for i in range(cells)})
    if cd.GetArray("Bmag") is not None and cells > 0:
        bmag = vtk_to_numpy(cd.GetArray("Bmag"))
        summary["Bmag_range_T"] = [float(bmag.min()), float(bmag.max())]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
