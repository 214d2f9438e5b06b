"""python -m tfcompat NOTEBOOK.ipynb: cells run in order in one namespace with tfcompat as
tensorflow, IPython syntax listed and skipped, %%writefile honoured, figures saved or closed,
failing cells reported with their first error line, the exit status, --epochs-cap."""
import json
import subprocess
import sys
import types

import pytest

from tfcompat.tools import notebook
from tfcompat.tools.notebook_source import clean_cell

CELLS = [
    "%matplotlib inline\nimport numpy as np\nimport tensorflow as tf\n!pip install x",
    "%%writefile helper.py\nVALUE = 3\n",
    "from helper import VALUE\nx = tf.placeholder(tf.float32, [None, 2])\n"
    "total = tf.reduce_sum(x) * VALUE\nwith tf.Session() as s:\n"
    "    result = s.run(total, {x: np.ones((2, 2))})\nprint('total', result)",
    "tf.contrib.nothing_here",
    "%%bash\necho hi",
    "n_epochs = 100\nfor epoch in range(n_epochs):\n    pass\nprint('epochs', epoch + 1)\n"
    "tf.nn?",
]


def _write_notebook(folder, cells):
    notebook_json = {"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
        {"cell_type": "markdown", "source": ["# a title"], "metadata": {}}] + [
        {"cell_type": "code", "source": source.splitlines(True), "metadata": {},
         "outputs": [], "execution_count": None} for source in cells]}
    path = folder / "demo.ipynb"
    path.write_text(json.dumps(notebook_json))
    return path


def test_clean_cell_keeps_line_numbers_and_lists_ipython_syntax():
    cell = clean_cell(1, "x = 1\nif x:\n    !ls\n    %time y = 2\nfiles = !ls\ntf.nn?")
    assert cell.source.splitlines() == ["x = 1", "if x:", "    pass", "    pass", "pass",
                                        "pass"]
    assert cell.skipped == ["!ls", "%time y = 2", "files = !ls", "tf.nn?"]
    timed = clean_cell(2, "%%time\nz = 3")
    assert timed.source == "\nz = 3" and timed.skipped == ["%%time"]
    assert clean_cell(3, "%%writefile -a out.txt\nhello").write_file == ("out.txt",
                                                                          "hello\n", True)


def test_the_notebook_runs_in_a_subprocess_with_a_report_and_exit_status(tmp_path):
    path = _write_notebook(tmp_path, CELLS)
    done = subprocess.run([sys.executable, "-m", "tfcompat", "--epochs-cap", "2", str(path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    out = done.stdout
    assert done.returncode == 1  # one cell failed
    assert "[cell 1/6] passed" in out and "not run: %matplotlib inline; !pip install x" in out
    assert "total 12.0" in out and (tmp_path / "helper.py").read_text() == "VALUE = 3\n"
    assert "[cell 4/6] failed" in out and "does not implement tf.contrib.nothing_here" in out
    assert "[cell 5/6] skipped" in out and "epochs 2" in out
    assert "6 cells run, 4 passed, 1 failed; 6 IPython line(s) not run" in out
    assert '<demo.ipynb cell 4>", line 1' in done.stderr  # the cell's own traceback


def test_stop_on_error_and_an_all_passing_notebook(tmp_path, capsys):
    path = _write_notebook(tmp_path, ["a = 1", "raise ValueError('broken\\nsecond')",
                                      "b = 2"])
    assert notebook.run_notebook(str(path), stop_on_error=True) == 1
    out = capsys.readouterr().out
    assert "ValueError: broken" in out and "[cell 3/3]" not in out
    good = _write_notebook(tmp_path, ["a = 1", "b = a + 1\nassert b == 2"])
    assert notebook.run_notebook(str(good)) == 0
    assert notebook.run_notebook(str(tmp_path / "missing.ipynb")) == 2


def test_figures_left_open_are_saved_or_closed(tmp_path, monkeypatch, capsys):
    saved, closed = [], []

    class Figure:
        def savefig(self, path):
            saved.append(path)

    figures = {1: Figure(), 2: Figure()}
    pyplot = types.SimpleNamespace(get_fignums=lambda: sorted(figures),
                                   figure=lambda number: figures[number],
                                   close=lambda which: closed.append(which))
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    path = _write_notebook(tmp_path, ["x = 1"])
    assert notebook.run_notebook(str(path), figures_dir=str(tmp_path / "figs")) == 0
    assert [p.rsplit("/", 1)[1] for p in saved] == ["cell001_fig1.png", "cell001_fig2.png"]
    assert closed == ["all"] and "2 figure(s) saved" in capsys.readouterr().out


@pytest.mark.parametrize("version", [3])
def test_nbformat_3_worksheets(tmp_path, version):
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps({"nbformat": version, "worksheets": [{"cells": [
        {"cell_type": "code", "input": ["value = 41\n", "value += 1"]}]}]}))
    cells = notebook.read_cells(str(path))
    assert [c.source for c in cells] == ["value = 41\nvalue += 1"]


def test_a_real_matplotlib_figure_is_saved(tmp_path, capsys):
    path = _write_notebook(tmp_path, [
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np",
        "plt.plot(np.arange(5), np.arange(5) ** 2)\nplt.title('squares')\nplt.show()",
        "figure, axes = plt.subplots(1, 2)"])
    figures = tmp_path / "figs"
    assert notebook.run_notebook(str(path), figures_dir=str(figures)) == 0
    saved = sorted(p.name for p in figures.iterdir())
    assert saved == ["cell002_fig1.png", "cell003_fig1.png"]  # figures close after each cell
    assert (figures / "cell002_fig1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.pyplot as plt
    assert plt.get_fignums() == []
