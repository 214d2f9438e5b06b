"""The code cells of a Jupyter notebook as Python source, with IPython's own syntax taken
out: line magics (``%matplotlib inline``), shell lines (``!pip install ...``, ``x = !ls``),
help lines (``tf.nn?``) and cell magics (``%%bash``). Each is replaced by ``pass`` at its
indentation, so line numbers stay the notebook's, and listed, so callers can report what
was not run. ``%%time``/``%%capture`` cells keep their body; ``%%writefile`` cells are
returned as files to write, as Jupyter would.
"""
import json
import re
from dataclasses import dataclass, field

_SHELL_ASSIGNMENT = re.compile(r"^\s*[\w.,\s]+=\s*!")
_HELP = re.compile(r"^\s*[\w.]+\?{1,2}\s*$")
_BODY_KEEPING_CELL_MAGICS = ("time", "capture", "timeit")


@dataclass
class Cell:
    """One code cell: its 1-based index among code cells, runnable source and what of it
    is IPython syntax that will not run."""

    index: int
    source: str
    skipped: list = field(default_factory=list)
    write_file: tuple = None  # (path, text, append) for a %%writefile cell


def read_cells(path):
    """The notebook's code cells (nbformat 4, or 3's worksheets), in order."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    if "cells" in notebook:
        raw = [c for c in notebook["cells"] if c.get("cell_type") == "code"]
        sources = [c.get("source", "") for c in raw]
    else:
        raw = [c for sheet in notebook.get("worksheets", []) for c in sheet.get("cells", [])
               if c.get("cell_type") == "code"]
        sources = [c.get("input", "") for c in raw]
    return [clean_cell(i + 1, "".join(s) if isinstance(s, list) else s)
            for i, s in enumerate(sources)]


def _is_ipython_line(stripped):
    return (stripped.startswith(("%", "!")) or bool(_SHELL_ASSIGNMENT.match(stripped))
            or bool(_HELP.match(stripped)))


def clean_cell(index, text):
    """A Cell from the text of one code cell."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic, _, argument = first[2:].partition(" ")
        body = "\n".join(lines[1:])
        if magic == "writefile":
            arguments = argument.split()
            append = "-a" in arguments or "--append" in arguments
            target = [a for a in arguments if not a.startswith("-")]
            text = body if body.endswith("\n") else body + "\n"
            return Cell(index, "", [first], (target[0] if target else "", text, append))
        if magic not in _BODY_KEEPING_CELL_MAGICS:
            return Cell(index, "", [first] + ([f"({len(lines) - 1} lines of %%{magic})"]
                                              if len(lines) > 1 else []))
        cell = clean_cell(index, body)
        cell.source = "\n" + cell.source  # keep the line numbers
        cell.skipped.insert(0, first)
        return cell
    kept, skipped = [], []
    for line in lines:
        stripped = line.strip()
        if stripped and _is_ipython_line(stripped):
            indent = line[:len(line) - len(line.lstrip())]
            kept.append(indent + "pass")
            skipped.append(stripped)
        else:
            kept.append(line)
    return Cell(index, "\n".join(kept), skipped)
