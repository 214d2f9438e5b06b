"""``python -m tfcompat NOTEBOOK.ipynb``: run a notebook's code cells in order in one
namespace, as Jupyter's "Run All" would, with tfcompat as ``tensorflow``.

IPython syntax is left out and listed (``tools/notebook_source.py``); ``%%writefile`` cells
write their file. Matplotlib draws off screen (the Agg backend); the figures a cell leaves
open are saved into ``--figures DIR`` or closed. A progress line is printed per cell and,
at the end, a table of the cells with their outcome and the first line of each error. Cells
after a failing one still run (``--stop-on-error`` stops there). The exit status is 0 when
every cell passed.
"""
import contextlib
import linecache
import os
import sys
import time
import traceback
import warnings

from tfcompat import runner
from tfcompat.tools.notebook_source import read_cells


def _first_line(exc):
    """The error's first line ("ValueError: message"); a SyntaxError's summary line."""
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
    if not text:
        return type(exc).__name__
    return text[-1] if isinstance(exc, SyntaxError) else text[0]


def _handle_figures(figures_dir, cell_index):
    """Saves (or closes) the figures a cell left open; the names of the saved files."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    saved = []
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        if figures_dir:
            os.makedirs(figures_dir, exist_ok=True)
            path = os.path.join(figures_dir, f"cell{cell_index:03d}_fig{number}.png")
            figure.savefig(path)
            saved.append(path)
    pyplot.close("all")
    return saved


def _write_file(spec, folder):
    path, text, append = spec
    if not path:
        raise ValueError("%%writefile needs a file name")
    path = os.path.join(folder, path) if not os.path.isabs(path) else path
    with open(path, "a" if append else "w", encoding="utf-8") as f:
        f.write(text)
    return f"wrote {path}"


def _run_cell(cell, namespace, filename, cap):
    source = cell.source
    # Tracebacks show the cell's lines, as Jupyter's do.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    code = (runner.compile_with_epochs_cap(source, filename, cap) if cap is not None
            else compile(source, filename, "exec", dont_inherit=True))
    exec(code, namespace)


class NotebookRun:
    """Runs the cells of one notebook and keeps each one's outcome."""

    def __init__(self, path, figures_dir=None, stop_on_error=False, out=None):
        self.path = path
        self.figures_dir = figures_dir
        self.stop_on_error = stop_on_error
        self.out = out or sys.stdout
        self.results = []  # (index, status, seconds, detail)

    def _say(self, text):
        print(text, file=self.out, flush=True)

    def run(self, numpy_aliases=False):
        cells = read_cells(self.path)
        cap = runner.epochs_cap()
        runner.install_as_tensorflow()
        os.environ.setdefault("MPLBACKEND", "Agg")
        folder = os.path.dirname(os.path.abspath(self.path))
        namespace = {"__name__": "__main__", "__file__": os.path.abspath(self.path),
                     "__builtins__": __builtins__}
        sys.path.insert(0, folder)
        aliases = runner.restored_numpy_names() if numpy_aliases else contextlib.nullcontext()
        with aliases, warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*non-interactive.*")
            for cell in cells:
                if not self._run_one(cell, namespace, cap, folder, len(cells)):
                    break
        return self.results

    def _run_one(self, cell, namespace, cap, folder, total):
        start = time.perf_counter()
        status, detail = "passed", ""
        try:
            if cell.write_file is not None:
                detail = _write_file(cell.write_file, folder)
            elif cell.source.strip():
                _run_cell(cell, namespace, f"<{os.path.basename(self.path)} cell "
                                           f"{cell.index}>", cap)
            else:
                status = "skipped"
        except Exception as exc:  # a failing cell is reported, as Jupyter shows it
            status, detail = "failed", _first_line(exc)
            frames = exc.__traceback__
            while frames is not None and not frames.tb_frame.f_code.co_filename.startswith("<"):
                frames = frames.tb_next  # from the cell's own frame on
            traceback.print_exception(type(exc), exc, frames, file=sys.stderr)
        seconds = time.perf_counter() - start
        saved = _handle_figures(self.figures_dir, cell.index)
        if saved and not detail:
            detail = f"{len(saved)} figure(s) saved"
        self.results.append((cell.index, status, seconds, detail, cell.skipped))
        line = f"[cell {cell.index}/{total}] {status} ({seconds:.1f} s)"
        if cell.skipped:
            line += f"; not run: {'; '.join(cell.skipped)}"
        if status == "failed":
            line += f": {detail}"
        self._say(line)
        return not (status == "failed" and self.stop_on_error)

    def report(self):
        """The final table and a summary line; True when every cell passed."""
        self._say("")
        self._say(f"{'cell':>5}  {'result':<8} {'seconds':>8}  detail")
        for index, status, seconds, detail, _ in self.results:
            self._say(f"{index:>5}  {status:<8} {seconds:>8.1f}  {detail}")
        failed = sum(1 for r in self.results if r[1] == "failed")
        passed = sum(1 for r in self.results if r[1] == "passed")
        skipped_lines = sum(len(r[4]) for r in self.results)
        self._say(f"{self.path}: {len(self.results)} cells run, {passed} passed, {failed} "
                  f"failed; {skipped_lines} IPython line(s) not run")
        return failed == 0


def run_notebook(path, numpy_aliases=False, figures_dir=None, stop_on_error=False, out=None):
    """Runs the notebook and prints its report; the exit status (0: every cell passed)."""
    if not os.path.isfile(path):
        print(f"tfcompat: can't open notebook {path!r}: no such file", file=sys.stderr)
        return 2
    run = NotebookRun(path, figures_dir, stop_on_error, out)
    run.run(numpy_aliases)
    return 0 if run.report() else 1
