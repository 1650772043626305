"""A small merged sweep file, written with h5py in the layout `rotormag merge` writes
(postproc/sweep_results.cpp, docs/sweeps.md "The merged file"), for the report's tests.

The layout, names, types and units are those of a real merged file (/Sweep: @complete, @format,
@name, plan, table/<column> with units, table_columns, regions, position_deg, cases/<id>/summary_json
and case_toml; /VTKHDF: a triangle grid with region, geometry_group and each case's demagnetization
arrays as "<case>.<array>"); the numbers are made up, shaped like a motor's (no solve), so that a
report is written in a second instead of a sweep's minutes. A real merged file is what
tests/app/sweep_cli.py reports on.

    write(path, losses_scale=1.0, events=(...), software=None, magnet_curve=False)
"""

import json
import math

import h5py
import numpy as np

STR = h5py.string_dtype("utf-8")

CANDIDATES = [  # name, grade, Br20, HcJ20 (A/m), Dy kg, Tb kg, HRE cost, GBD
    ("N42SH", "N42SH", 1.32, 1.59e6, 0.0374, 0.0, 70.7, False),
    ("N48 Tb-GBD", "N48-GBD-Tb", 1.40, 1.20e6, 0.0, 0.0062, 51.0, True),
    ("N42SH -1.5 wt% Dy", "N42SH -1.5 wt% Dy", 1.34, 1.40e6, 0.0189, 0.0, 35.6, False),
]
TEMPERATURES = [20.0, 120.0, 150.0]
EVENTS = (("short circuit", {"short_circuit_peak_A": 60.0}), ("peak -id", {"negative_d_current_A": 100.0}))
POSITIONS = [0.0, 3.6000000000000001]
REGIONS = ["stator_core", "airgap_rotor", "rotor_core", "magnet_1", "magnet_2"]

COLUMNS = [  # (name, units; None: text; "": a number without units), in the order of a real file's table_columns
    ("case_id", None), ("status", None), ("group", "1"), ("candidate", None), ("temperature_C", "degC"),
    ("event", None), ("material", None), ("low_confidence", "1"), ("outside_data", "1"),
    ("motor_run_magnet", None), ("peak_flux_linkage_a_Wb", "Wb"), ("psi_d_no_load_before_Wb", "Wb"),
    ("psi_d_no_load_after_Wb", "Wb"), ("flux_linkage_loss_pct", "%"), ("back_emf_fundamental_loss_pct", "%"),
    ("torque_before_Nm", "N m"), ("torque_after_Nm", "N m"), ("torque_loss_pct", "%"),
    ("volume_pct_coef_below_0_99", "%"), ("volume_pct_coef_below_0_95", "%"), ("volume_pct_coef_below_0_90", "%"),
    ("min_margin_kA_per_m", "kA/m"), ("onset_current_A", "A"), ("onset_temperature_C", "degC"),
    ("min_margin_region", None), ("magnet_kg", "kg"), ("Dy_kg", "kg"), ("Tb_kg", "kg"), ("hre_cost", ""),
    ("currency", None), ("wall_s", "s"), ("backend", None),
]

NOTE_EXTRAPOLATED = ("N42SH: 150 C is outside the range alpha and beta were measured over (20..150 C): "
                     "Br and HcJ are extrapolated")
NOTE_TMAX = "N42SH: 150 C is above the grade's maximum working temperature (150 C; a catalogue rating)"


def grid():
    """A 6 x 4 block of squares, two triangles each: the bottom rows rotor core and air, the top two
    rows two magnets. Points in m (z = 0)."""
    nx, ny = 6, 4
    pts = [(0.030 + 0.002 * i, 0.002 * j, 0.0) for j in range(ny + 1) for i in range(nx + 1)]
    tri, region = [], []
    for j in range(ny):
        for i in range(nx):
            a = j * (nx + 1) + i
            b, c, d = a + 1, a + nx + 2, a + nx + 1
            reg = (2 if j == 0 else 1) if j < 2 else (3 if i < nx // 2 else 4)
            tri += [(a, b, c), (a, c, d)]
            region += [reg, reg]
    return np.array(pts), np.array(tri, dtype=np.int64), np.array(region, dtype=np.int32)


def curve(h, Jr, HcJ, Hk, mu_rec=1.05):
    """A knee-shaped J(h) for the magnet_curve samples: the reference's tanh form on the recoil line (test
    data shaped like the solver's curve, not its model)."""
    k = 4e-7 * math.pi * (mu_rec - 1.0)
    w = max(HcJ - Hk, 1.0) / (2.0 * math.atanh(0.9))
    return (Jr - k * h) * np.tanh((HcJ - h) / (2.0 * w)) / math.tanh(HcJ / (2.0 * w))


def write(path, losses_scale=1.0, events=EVENTS, software=None, magnet_curve=False, failed=(), software_group="/"):
    """Writes the file. losses_scale multiplies the flux-linkage losses (1.0: some cases lose up to
    ~15 %, all below 20 %); `software`: attributes for the root (e.g. {"rotormag_version": "0.9.0"});
    `magnet_curve`: the summaries carry the proposed per-temperature curve samples; `failed`: case ids
    written with status failed; `software_group`: where the software attributes go ("/", "/RotorMag")."""
    pts, tri, region = grid()
    ncell = len(tri)
    magnet = region >= 3
    cases, rows = [], []
    cid = 0
    for ci, (cand, grade, br20, hcj20, dy, tb, cost, gbd) in enumerate(CANDIDATES):
        for t in TEMPERATURES:
            for ev, form in events:
                cases.append(dict(id=f"c{cid:04d}", candidate=cand, grade=grade, T=t, event=ev, form=form, ci=ci,
                                  br20=br20, hcj20=hcj20, dy=dy, tb=tb, cost=cost, gbd=gbd))
                cid += 1
    f = h5py.File(path, "w")
    if software:
        g = f.require_group(software_group) if software_group != "/" else f
        for k, v in software.items():
            g.attrs[k] = v
    v = f.create_group("VTKHDF")
    v.attrs["Version"] = np.array([1, 0], dtype=np.int64)
    v.attrs.create("Type", np.bytes_("UnstructuredGrid"))
    v["Points"] = pts
    v["Points"].attrs["units"] = "m"
    v["Connectivity"] = tri.reshape(-1)
    v["Offsets"] = np.arange(0, 3 * ncell + 1, 3, dtype=np.int64)
    v["Types"] = np.full(ncell, 5, dtype=np.uint8)
    v["NumberOfCells"] = np.array([ncell], dtype=np.int64)
    v["NumberOfPoints"] = np.array([len(pts)], dtype=np.int64)
    v["NumberOfConnectivityIds"] = np.array([3 * ncell], dtype=np.int64)
    v.create_group("FieldData")
    v.create_group("PointData")
    cd = v.create_group("CellData")
    cd["region"] = region
    cd["geometry_group"] = np.zeros(ncell)
    s = f.create_group("Sweep")
    s.attrs["format"] = "RotorMag sweep 1"
    s.attrs["name"] = "synthetic"
    table = {c: [] for c, _ in COLUMNS}
    rng = np.random.default_rng(7)
    depth = rng.uniform(0.0, 1.0, ncell)  # per element: how exposed to the demagnetizing field
    for c in cases:
        dT = c["T"] - 20.0
        Jr = c["br20"] * (1 - 0.0011 * dT)
        hcj = c["hcj20"] * (1 - 0.0055 * dT)
        hk = 0.95 * hcj * (1 + (0.25 * (1 - depth) if c["gbd"] else 0.0))
        current = c["form"].get("short_circuit_peak_A", c["form"].get("negative_d_current_A", 0.0))
        worst_h = 150e3 + depth * (2.2e3 * current + 1.2e3 * dT)
        excess = np.clip((worst_h - 0.97 * hk) / (0.2 * hk), 0.0, None)
        coef = np.where(magnet, 1.0 - 0.5 * np.tanh(excess), 1.0)
        loss = float(min(100.0, 100 * (1 - coef[magnet].mean())) * losses_scale)
        failed_case = c["id"] in failed
        arrays = {
            "knee_field": np.where(magnet, hk, 0.0), "worst_h": np.where(magnet, worst_h, 0.0),
            "demag_coef": coef, "Br_eff": np.where(magnet, coef * Jr, 0.0),
            "margin": np.where(magnet, hk - worst_h, 0.0),
        }
        if not failed_case:
            for name, a in arrays.items():
                cd[f"{c['id']}.{name}"] = a
                cd[f"{c['id']}.{name}"].attrs["units"] = {"demag_coef": "1", "Br_eff": "T"}.get(name, "A/m")
        i_min = int(np.argmin(np.where(magnet, hk - worst_h, np.inf)))
        row = dict(case_id=c["id"], status="failed" if failed_case else "done", group=0.0, candidate=c["candidate"],
                   temperature_C=c["T"], event=c["event"], material=c["grade"], low_confidence=0.0,
                   outside_data=1.0 if "wt%" in c["candidate"] else 0.0, motor_run_magnet=c["grade"].split()[0],
                   peak_flux_linkage_a_Wb=0.03, psi_d_no_load_before_Wb=0.06 * Jr,
                   psi_d_no_load_after_Wb=0.06 * Jr * (1 - loss / 100), flux_linkage_loss_pct=loss,
                   back_emf_fundamental_loss_pct=loss, torque_before_Nm=9.0 * Jr,
                   torque_after_Nm=9.0 * Jr * (1 - loss / 200),
                   torque_loss_pct=loss / 2, volume_pct_coef_below_0_99=100 * float((coef[magnet] < 0.99).mean()),
                   volume_pct_coef_below_0_95=100 * float((coef[magnet] < 0.95).mean()),
                   volume_pct_coef_below_0_90=100 * float((coef[magnet] < 0.90).mean()),
                   min_margin_kA_per_m=float((hk - worst_h)[i_min] / 1e3),
                   onset_current_A=current * (1.3 - 0.25 * c["ci"]) * (1.0 - 0.9 * dT / 130.0) if c["T"] < 150 else 0.0,
                   onset_temperature_C=110.0 + 15.0 * c["ci"] + (1.5 if c["T"] == 150.0 else 0.0),
                   min_margin_region=REGIONS[region[i_min]], magnet_kg=0.231, Dy_kg=c["dy"], Tb_kg=c["tb"],
                   hre_cost=c["cost"], currency="CNY", wall_s=12.5, backend="cpu")
        if failed_case:
            for k in row:
                if k not in ("case_id", "status", "group", "candidate", "temperature_C", "event", "material",
                             "low_confidence", "outside_data", "motor_run_magnet", "wall_s", "backend"):
                    row[k] = math.nan if isinstance(row[k], float) else ""
        for k, _ in COLUMNS:
            table[k].append(row[k])
        rows.append((c, row, Jr, hcj, hk))
    t = s.create_group("table")
    for name, units in COLUMNS:
        if units is None:
            t.create_dataset(name, data=np.array(table[name], dtype=object), dtype=STR)
        else:
            t[name] = np.array(table[name], dtype=np.float64)
            if units:
                t[name].attrs["units"] = units
    s.create_dataset("table_columns", data=np.array([c for c, _ in COLUMNS], dtype=object), dtype=STR)
    s.create_dataset("regions", data=np.array(REGIONS, dtype=object), dtype=STR)
    s["position_deg"] = np.array(POSITIONS)
    s["position_deg"].attrs["units"] = "deg"
    plan = {"base_case": "/somewhere/cases/motors/spm_12s10p_demag.toml",
            "candidates": [c[0] for c in CANDIDATES], "events": [e for e, _ in events],
            "cases": [{"candidate": c["candidate"], "cost_units": 114.0, "event": c["event"], "group": 0, "id": c["id"],
                       "motor_run_magnet": c["grade"], "temperature_C": c["T"]} for c in cases],
            "fingerprint": "0123456789abcdef", "format": "RotorMag sweep plan 1", "geometry_keys": [], "groups": [{}],
            "magnet_temperatures_C": TEMPERATURES, "name": "synthetic", "rotor_positions_deg": POSITIONS,
            "sweep_file": "/somewhere/cases/benchmarks/synthetic.sweep.toml"}
    s.create_dataset("plan", data=json.dumps(plan, indent=1), dtype=STR)
    g = s.create_group("cases")
    for c, row, Jr, hcj, hk in rows:
        one = g.create_group(c["id"])
        one.create_dataset("case_toml", data=case_toml(c), dtype=STR)
        one.create_dataset("summary_json", data=json.dumps(summary(c, row, Jr, hcj, hk, magnet_curve)), dtype=STR)
    s.attrs.create("complete", np.array([1], dtype=np.int32))
    f.close()
    return [c["id"] for c in cases]


def case_toml(c):
    form = "\n".join(f"    {k} = {v!r}" for k, v in c["form"].items())
    head = (f"# sweep case {c['id']} (candidate '{c['candidate']}', {c['T']:g} C, event '{c['event']}') "
            "of sweep 'synthetic'")
    return f"""{head}
name = 'spm_12s10p_demag'
schema_version = 1
temperature_C = {c['T']}

[demag]
gbd_faces = 'pole_faces'
rated_load = {{ iq_A = 20.0 }}
temperatures_C = [ {c['T']} ]

    [[demag.candidate]]
    grade = '{c['grade']}'
    name = '{c['candidate']}'

    [[demag.event]]
    name = '{c['event']}'
    positions_deg = [ 0.0, 3.6000000000000001 ]
{form}

[mesh]
element_size_mm = 3.0
order = 1
template = 'motor'

    [mesh.motor.rotor]
    outer_radius_mm = 32.0
    poles = 10
    type = 'surface_magnet'

    [mesh.motor.stator]
    slots = 12
    winding_layers = 2

[motor]
speed_rpm = 3000.0
stack_length_mm = 50.0
symmetry = 'sector'

    [motor.positions]
    angles_deg = [ 0.0, 3.6000000000000001 ]

    [motor.winding]
    parallel_paths = 2
    turns_per_coil = 40
"""


def summary(c, row, Jr, hcj, hk, magnet_curve):
    notes = ["N42SH: knee shape estimated (squareness Hk/HcJ = 0.95, no source gives it)"]
    if c["T"] >= 150.0:
        notes += [NOTE_EXTRAPOLATED, NOTE_TMAX]
    temp = {k: row[k] for k in ("flux_linkage_loss_pct", "min_margin_kA_per_m", "onset_current_A",
                                 "onset_temperature_C", "temperature_C")}
    temp["notes"] = notes
    if magnet_curve:
        core = float(np.min(hk)) / 0.95 if c["gbd"] else hcj
        h = np.linspace(-0.05 * hcj, 1.3 * float(np.max(hk)) / 0.95, 61)
        temp["magnet_curve"] = {"Br_T": Jr, "HcJ_A_per_m": core, "mu_rec": 1.05, "squareness": 0.95,
                                "knee_field_A_per_m": 0.95 * core, "h_A_per_m": h.tolist(),
                                "J_T": curve(h, Jr, core, 0.95 * core).tolist()}
        if c["gbd"]:
            top = float(np.max(hk)) / 0.95
            temp["magnet_curve"]["J_max_gain_T"] = curve(h, Jr, top, 0.95 * top).tolist()
    return {
        "case": "spm_12s10p_demag", "elements": 48, "nodes": 35, "dofs": 30, "order": 1, "stack_length_m": 0.05,
        "model_copies": 2, "position_deg": POSITIONS,
        "demag": {"knee_definition": "Hk at J = 0.9 Jr", "loss_threshold": 0.01, "candidates": [{
            "name": c["candidate"], "material": c["grade"], "warnings": [],
            "hre": {"Dy_kg": c["dy"], "Tb_kg": c["tb"], "hre_cost": c["cost"], "currency": "CNY",
                    "price_scenario": "late-2025", "notes": ["composition estimated (not a supplier value)"]},
            "temperatures": [temp]}]},
    }
