#!/usr/bin/env python3
"""ranking.html as a reader sees it: the report of a small synthetic merged file (tests/app/synthetic_sweep.py)
opened in headless Chromium (Debian's `chromium`, installed by scripts/setup), measured by a small script
added to a copy of the page (the page itself has none):

  at 1400 x 900 px (a laptop)  the page does not scroll sideways; every table lies inside the window and
                               the ranking tables fit whole (no scrolling in their box); every figure
                               loads (naturalWidth > 0) and is shown no wider than the window; the page
                               states each load event with its current, the motor, the mesh, the rated
                               load, the version and commit, the dates and "unknown" for what the file
                               does not record
  at 900 x 900 px              the page still does not scroll sideways: a wide table scrolls in its box

Exit 77 (ctest: skipped), with the reason, only when no chromium can be started at all.

    report_html_chromium.py SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = sys.argv[1]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synthetic_sweep  # noqa: E402

SKIP = 77
REPORT = os.path.join(SOURCE, "postproc", "sweep_report.py")
SOFTWARE = {"rotormag_version": "0.9.0-test", "git_commit": "abc1234", "created_utc": "2026-12-01T10:00:00Z",
            "host": "node17"}
FIGURES = ["demag_volume_vs_temperature.png", "flux_loss_vs_hre.png", "onset_per_grade.png", "jh_curves.png",
           "margin_maps.png"]

MEASURE = """<script>
window.addEventListener("load", function () {
  var out = {vw: window.innerWidth, page: document.documentElement.scrollWidth, tables: [], images: []};
  document.querySelectorAll("table").forEach(function (t) {
    var box = t.parentElement, r = t.getBoundingClientRect(), b = box.getBoundingClientRect();
    out.tables.push({cls: t.className, id: t.id, width: r.width, right: r.right, box_cls: box.className,
                     box_right: b.right, box_client: box.clientWidth, box_scroll: box.scrollWidth});
  });
  document.querySelectorAll("img").forEach(function (i) {
    out.images.push({src: i.getAttribute("src"), complete: i.complete, natural: i.naturalWidth,
                     shown: i.getBoundingClientRect().width, right: i.getBoundingClientRect().right});
  });
  out.text = document.body.innerText;
  var pre = document.createElement("pre");
  pre.id = "measure";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


def chromium():
    """The chromium binary and its version line, or (None, why not)."""
    for name in ("chromium", "chromium-browser"):
        exe = shutil.which(name)
        if not exe:
            continue
        try:
            p = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, f"{exe} --version: {e}"
        if p.returncode == 0:
            return exe, p.stdout.strip()
        return None, f"{exe} --version: exit {p.returncode}: {p.stderr.strip()[-300:]}"
    return None, "no chromium on PATH (Debian: apt-get install chromium; scripts/setup installs it)"


def measure(exe, html, width, profile):
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
           "--hide-scrollbars", f"--window-size={width},900", "--virtual-time-budget=10000",
           "--dump-dom", "file://" + html]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    m = re.search(r'<pre id="measure"[^>]*>(.*?)</pre>', p.stdout, re.S)
    if p.returncode != 0 or not m:
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}, no measurement in the DOM\n{p.stdout[-2000:]}\n"
                 f"{p.stderr[-3000:]}")
    text = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return json.loads(text)


def main():
    exe, version = chromium()
    if exe is None:
        print(f"report_html_chromium: SKIPPED: chromium cannot run: {version}")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="rotormag_report_html_")
    merged = os.path.join(tmp, "synthetic.hdf")
    synthetic_sweep.write(merged, software=SOFTWARE, failed=("c0004",))
    out = os.path.join(tmp, "report")
    p = subprocess.run([sys.executable, REPORT, merged, "-o", out], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (p.stdout, p.stderr)
    page = open(os.path.join(out, "ranking.html"), encoding="utf-8").read()
    assert "</body>" in page and "<script" not in page
    probe = os.path.join(out, "measure.html")  # beside ranking.html: the figures resolve the same way
    with open(probe, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", MEASURE + "</body>"))
    profile = os.path.join(tmp, "profile")

    m = measure(exe, probe, 1400, profile)
    vw = m["vw"]
    assert 1380 <= vw <= 1400, vw
    assert m["page"] <= vw, f"the page is {m['page']} px wide in a {vw}-px window"
    ranking = [t for t in m["tables"] if t["cls"] == "ranking"]
    assert len(ranking) == len(synthetic_sweep.TEMPERATURES) * 2, len(ranking)  # a table per temperature x event
    for t in m["tables"]:
        assert t["box_cls"] == "wide", t
        assert t["box_right"] <= vw, t
    for t in ranking:
        assert t["box_scroll"] <= t["box_client"] and t["right"] <= vw, ("a ranking table wider than 1400 px", t)
    shown = sorted(i["src"] for i in m["images"])
    assert shown == sorted(FIGURES), shown
    for i in m["images"]:
        assert i["complete"] and i["natural"] > 0, ("figure did not load", i)
        assert 0 < i["shown"] and i["right"] <= vw, i
    text = m["text"]
    for needed in ("What was compared", "Load event 'short circuit'", "short-circuit peak 60 A",
                   "Load event 'peak -id'", "i_d = −100 A", "Motor", "'spm_12s10p_demag'; 12 slots, 10 poles",
                   "stack length 50 mm", "48 elements", "order 1", "Rated load", "i_q = 20 A",
                   "Rotor positions", "0, 3.6°", "version 0.9.0-test, commit abc1234",
                   "sweep merged 2026-12-01T10:00:00Z on host node17", "this report written ",
                   "Case SHA-256\tunknown", "failed"):
        assert needed in text, (needed, text[:3000])
    assert "3.6000000000000001" not in text

    narrow = measure(exe, probe, 900, profile)
    assert narrow["page"] <= narrow["vw"], f"the page is {narrow['page']} px wide in a {narrow['vw']}-px window"
    assert any(t["box_scroll"] > t["box_client"] for t in narrow["tables"]), "no table scrolls in its box at 900 px"
    print(f"report_html_chromium ({version}): at 1400 px the tables fit and the {len(FIGURES)} figures load; "
          "at 900 px the wide tables scroll in their boxes")
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
