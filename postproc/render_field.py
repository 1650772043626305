#!/usr/bin/env python3
"""Render a RotorMag results file to PNG with VTK 9.1: a cell array in colour
and flux lines (contours of A, which are field lines in 2D) in white.

    xvfb-run -a /usr/bin/python3 postproc/render_field.py out/demo_ipm.hdf bmag.png
    xvfb-run -a /usr/bin/python3 postproc/render_field.py out/demo_ipm.hdf pole.png \
        --array region --center-mm 31 0 --half-width-mm 12 --edges

Needs Debian's python3-vtk9 and an X display (xvfb-run provides one)."""
import argparse
import sys

import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL back end)
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkLookupTable
from vtkmodules.vtkFiltersCore import vtkContourFilter
from vtkmodules.vtkFiltersExtraction import vtkExtractEdges
from vtkmodules.vtkFiltersGeneral import vtkTessellatorFilter
from vtkmodules.vtkIOHDF import vtkHDFReader
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingAnnotation import vtkScalarBarActor
from vtkmodules.vtkRenderingCore import (vtkActor, vtkDataSetMapper, vtkPolyDataMapper, vtkRenderer,
                                         vtkRenderWindow, vtkWindowToImageFilter)

UNITS = {"Bmag": "T", "Hm": "A/m", "region": "index"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("png")
    ap.add_argument("--array", default="Bmag", help="cell array to colour by (Bmag, Hm, region)")
    ap.add_argument("--range", nargs=2, type=float, help="colour range (default: data range)")
    ap.add_argument("--lines", type=int, default=31, help="number of flux lines (0: none)")
    ap.add_argument("--center-mm", nargs=2, type=float, help="view centre [mm] (default: whole model)")
    ap.add_argument("--half-width-mm", type=float, default=10.0, help="half the visible height [mm] with --center-mm")
    ap.add_argument("--edges", action="store_true", help="draw the mesh edges")
    ap.add_argument("--size", type=int, default=900)
    args = ap.parse_args()

    reader = vtkHDFReader()
    reader.SetFileName(args.results)
    reader.Update()
    grid = reader.GetOutput()
    if grid.GetNumberOfCells() == 0 or grid.GetCellData().GetArray(args.array) is None:
        sys.exit(f"render_field.py: {args.results}: no cells or no cell array '{args.array}'")
    values = vtk_to_numpy(grid.GetCellData().GetArray(args.array))
    lo, hi = args.range if args.range else (float(values.min()), float(values.max()))
    grid.GetCellData().SetActiveScalars(args.array)

    lut = vtkLookupTable()
    lut.SetHueRange(0.667, 0.0)
    lut.SetTableRange(lo, hi)
    lut.Build()
    mapper = vtkDataSetMapper()
    mapper.SetInputData(grid)
    mapper.SetScalarModeToUseCellData()
    mapper.SetLookupTable(lut)
    mapper.SetScalarRange(lo, hi)
    field = vtkActor()
    field.SetMapper(mapper)

    renderer = vtkRenderer()
    renderer.SetBackground(0.2, 0.2, 0.2)
    renderer.AddActor(field)
    if args.lines > 0:
        # Quadratic cells are tessellated so the contours follow the P2 field.
        linear = vtkTessellatorFilter()
        linear.SetInputData(grid)
        linear.Update()
        linear.GetOutput().GetPointData().SetActiveScalars("A")
        a = vtk_to_numpy(grid.GetPointData().GetArray("A"))
        contours = vtkContourFilter()
        contours.SetInputData(linear.GetOutput())
        contours.GenerateValues(args.lines, float(a.min()), float(a.max()))
        lines_mapper = vtkPolyDataMapper()
        lines_mapper.SetInputConnection(contours.GetOutputPort())
        lines_mapper.ScalarVisibilityOff()
        lines = vtkActor()
        lines.SetMapper(lines_mapper)
        lines.GetProperty().SetColor(1, 1, 1)
        lines.GetProperty().SetLineWidth(1.5)
        renderer.AddActor(lines)
    if args.edges:
        edges = vtkExtractEdges()
        edges.SetInputData(grid)
        edges_mapper = vtkPolyDataMapper()
        edges_mapper.SetInputConnection(edges.GetOutputPort())
        edges_mapper.ScalarVisibilityOff()
        edge_actor = vtkActor()
        edge_actor.SetMapper(edges_mapper)
        edge_actor.GetProperty().SetColor(0, 0, 0)
        edge_actor.GetProperty().SetOpacity(0.25)
        renderer.AddActor(edge_actor)
    bar = vtkScalarBarActor()
    bar.SetLookupTable(lut)
    bar.SetTitle(f"{args.array} [{UNITS.get(args.array, '')}]")
    renderer.AddActor2D(bar)

    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.AddRenderer(renderer)
    window.SetSize(args.size, args.size)
    renderer.ResetCamera()
    camera = renderer.GetActiveCamera()
    if args.center_mm:
        x, y = (c * 1e-3 for c in args.center_mm)
        camera.SetParallelProjection(1)
        camera.SetFocalPoint(x, y, 0)
        camera.SetPosition(x, y, 1.0)
        camera.SetViewUp(0, 1, 0)
        camera.SetParallelScale(args.half_width_mm * 1e-3)
        renderer.ResetCameraClippingRange()
    else:
        camera.Zoom(1.3)
    window.Render()
    grab = vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.Update()
    png = vtkPNGWriter()
    png.SetFileName(args.png)
    png.SetInputConnection(grab.GetOutputPort())
    png.Write()
    print(f"render_field.py: wrote {args.png} ({args.array} in [{lo:.4g}, {hi:.4g}])")


if __name__ == "__main__":
    main()
