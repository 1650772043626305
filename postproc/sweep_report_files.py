"""Writing the report's files atomically: a reader (or a browser) never sees half a file.

Each file is written to a temporary file in its directory, flushed to disk and renamed over the
old one (as postproc/atomic_file.hpp does for the solver's files), so that an interrupted report
leaves the previous file in place, not a truncated one.
"""

import os
import tempfile

import matplotlib.pyplot as plt


def write_atomically(path, writer):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text(path, text):
    write_atomically(path, lambda f: f.write(text.encode("utf-8")))


def write_figure(path, fig, dpi=110):
    try:
        write_atomically(path, lambda f: fig.savefig(f, format="png", dpi=dpi, bbox_inches="tight"))
    finally:
        plt.close(fig)
