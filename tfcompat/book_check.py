"""``tfcompat book-check``: run the chapter-11 scripts and compare their accuracy with the book's.

Usage::

    tfcompat book-check [--only NAME ...] [--ci] [--epochs-cap N] [--report FILE]
                        [--scripts-dir DIR] [--workdir DIR] [--timeout SECONDS] [--jobs N]

Every selected script of ``chapter11_scripts/`` runs unchanged in its own process through the
runner (``python -m tfcompat SCRIPT.py``), in dependency order: a script that restores another
one's checkpoint (``requires`` in the data file) runs after it, in the same working directory.
Each script gets a progress line, then its own output (one line per epoch) is streamed, indented.
At the end a table gives, per script: the split the book's figure and ours were measured on, the
book's printed accuracy, ours, the difference in percentage points and the seconds it took.

The book's figures live in ``tfcompat/book_accuracy.json`` (one entry per script: its listing,
epochs, batch size, the book's accuracy, the split, the tolerance in points, whether it is in the
CI full-length set, the script it requires, whether it needs the runner's ``--numpy-aliases``,
and a note where an entry departs from the book's table).

**Reading a script's accuracy.** A script's result is read from its standard output: the *last*
line that contains the word "accuracy" (any case) and a number; on that line, the *last* number.
A number followed by ``%``, or greater than 1, is a percentage and is divided by 100. The split
is "test" when that line mentions test, "validation" when it mentions validation. The book's own
print lines (``print(epoch, "Test accuracy:", accuracy_val)``,
``print("Final test accuracy: {:.2f}%".format(acc_test * 100))``) all end that way.

**Exit status.** 0 when every script ran and printed an accuracy and no full-length script ended
more than its tolerance (1.0 point; 3.0 for exercises 8 and 10, 6.0 for exercise 9) below the
book; 1 otherwise; 2 for bad arguments. A run is full length when no ``--epochs-cap`` is given
(or the cap is at least the script's epoch count); capped runs are only checked for running to
completion. ``--ci`` selects the CI full-length set (batch normalization, dropout, l1
regularization, exponential decay).

**Parallel runs.** ``--jobs N`` runs up to N scripts at once, each in its own process: a chain
of scripts linked by ``requires`` stays in order in one worker thread (they share a working
directory), independent chains run side by side. A script's output is then printed in one
piece when it ends; the table and the exit status are the same as with one job. To spread the
scripts over several machines, run ``tfcompat book-check --only NAME ...`` on each machine with
a part of the scripts (every chain whole: ``--only`` pulls in what a script requires) and put
the ``--report`` tables together.
"""
import concurrent.futures
import io
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

DATA_FILE = Path(__file__).with_name("book_accuracy.json")
DEFAULT_SCRIPTS_DIR = Path(__file__).resolve().parent.parent / "chapter11_scripts"

__all__ = ["Entry", "Result", "load_entries", "parse_accuracy", "select", "working_groups",
           "verdict", "failed", "format_table", "format_markdown", "run_script", "main"]


@dataclass(frozen=True)
class Entry:
    """One chapter-11 script and the book's printed figure for it."""
    script: str
    listing: str = ""
    epochs: int = 0
    batch: int = 0
    book_accuracy: float = None   # a fraction; None: the book prints no figure for it
    split: str = "test"           # the split the book's figure was measured on
    tolerance: float = 1.0        # percentage points below the book that still pass
    ci: bool = False              # in the CI full-length set
    requires: str = None          # script that must run first, in the same directory
    numpy_aliases: bool = False   # run with the runner's --numpy-aliases
    note: str = ""                # why this entry differs from the book's table

    @property
    def name(self):
        return self.script[:-3] if self.script.endswith(".py") else self.script


@dataclass
class Result:
    """What running one script gave."""
    entry: Entry
    status: str = "ok"            # ok, failed, no accuracy, skipped, timeout
    accuracy: float = None
    split: str = None             # the split our printed accuracy was measured on
    seconds: float = 0.0
    returncode: int = None
    full_length: bool = True
    detail: str = ""              # why it failed (last lines of output, missing dependency)
    output: list = field(default_factory=list, repr=False)

    @property
    def difference(self):
        """Ours minus the book's, in percentage points (None when either is missing)."""
        if self.accuracy is None or self.entry.book_accuracy is None:
            return None
        return (self.accuracy - self.entry.book_accuracy) * 100.0


def load_entries(path=None):
    """The entries of the data file, in its order."""
    with open(path or DATA_FILE, encoding="utf-8") as f:
        document = json.load(f)
    entries = []
    for row in document["scripts"]:
        entries.append(Entry(**{key: value for key, value in row.items()
                                if key in Entry.__dataclass_fields__}))
    return entries


# A number as Python and NumPy print them, optionally followed by a percent sign.
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])(\s*%)?")


def _split_of(line):
    lowered = line.lower()
    if "test" in lowered:
        return "test"
    if "valid" in lowered:
        return "validation"
    if "train" in lowered or "batch" in lowered:
        return "training"
    return None


def parse_accuracy(output):
    """(accuracy as a fraction, split or None) read from a script's output, or None.

    The rule: the last line containing "accuracy" (any case) and a number; its last number;
    divided by 100 when followed by "%" or greater than 1.
    """
    lines = output.splitlines() if isinstance(output, str) else list(output)
    for line in reversed(lines):
        if "accuracy" not in line.lower():
            continue
        matches = list(_NUMBER.finditer(line))
        if not matches:
            continue
        last = matches[-1]
        value = float(last.group(0).rstrip("% \t"))
        if last.group(1) or value > 1.0:
            value /= 100.0
        return value, _split_of(line)
    return None


def _find(entries, name):
    wanted = name[:-3] if name.endswith(".py") else name
    for entry in entries:
        if entry.name == wanted:
            return entry
    raise KeyError(name)


def select(entries, only=None, ci=False):
    """The entries to run, their dependencies included, in dependency order.

    ``only``: names (with or without ``.py``) of the scripts wanted; ``ci``: the CI set. With
    neither, every entry. The data file's order is kept where dependencies allow.
    """
    if only:
        wanted = [_find(entries, name) for name in only]
    elif ci:
        wanted = [entry for entry in entries if entry.ci]
    else:
        wanted = list(entries)
    chosen = {}

    def add(entry, chain=()):
        if entry.script in chain:
            raise ValueError("circular 'requires' in the data file: "
                             + " -> ".join(chain + (entry.script,)))
        if entry.requires:
            add(_find(entries, entry.requires), chain + (entry.script,))
        chosen.setdefault(entry.script, entry)

    for entry in wanted:
        add(entry)
    ordered = []
    done = set()

    def visit(entry):
        if entry.script in done:
            return
        if entry.requires:
            visit(chosen[_find(entries, entry.requires).script])
        done.add(entry.script)
        ordered.append(entry)

    for entry in entries:
        if entry.script in chosen:
            visit(entry)
    return ordered


def working_groups(entries):
    """{script: group name}: scripts linked by ``requires`` share a group (a directory)."""
    by_script = {entry.script: entry for entry in entries}
    groups = {}
    for entry in entries:
        root = entry
        while root.requires and root.requires in by_script:
            root = by_script[root.requires]
        groups[entry.script] = root.name
    return groups


def verdict(result):
    """A short word for the table: ok, BELOW, FAILED ..."""
    if result.status != "ok":
        return result.status.upper()
    if result.entry.book_accuracy is None:
        return "no book figure"
    if not result.full_length:
        return "capped, not judged"
    if result.difference < -result.entry.tolerance:
        return f"BELOW (-{result.entry.tolerance:g} allowed)"
    return "ok"


def failed(result):
    """True when this result makes the check fail."""
    if result.status != "ok":
        return True
    return (result.full_length and result.difference is not None
            and result.difference < -result.entry.tolerance)


_COLUMNS = ("script", "split (book/ours)", "book", "ours", "diff (points)", "seconds", "verdict")


def _cells(result):
    entry = result.entry
    book = "-" if entry.book_accuracy is None else f"{entry.book_accuracy:.4f}"
    ours = "-" if result.accuracy is None else f"{result.accuracy:.4f}"
    difference = "-" if result.difference is None else f"{result.difference:+.2f}"
    seconds = "-" if result.status == "skipped" else f"{result.seconds:.1f}"
    split = f"{entry.split or '?'}/{result.split or '?'}"
    return (entry.script, split, book, ours, difference, seconds, verdict(result))


def format_table(results):
    """The plain-text table printed at the end of a check."""
    rows = [_COLUMNS] + [_cells(result) for result in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    right = {2, 3, 4, 5}
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def format_markdown(results, epochs_cap=None):
    """The same table as Markdown, with a line saying how it was run."""
    total = sum(result.seconds for result in results)
    length = "full length" if epochs_cap is None else f"epochs capped at {epochs_cap}"
    lines = ["# Chapter 11: book accuracy check", "",
             f"{len(results)} scripts, {length}, {total:.0f} s in all. Accuracy is a fraction; the "
             "difference is ours minus the book's in percentage points; split is the data the "
             "book's figure / ours was measured on.", "",
             "| " + " | ".join(_COLUMNS) + " |",
             "|" + "|".join(["---", "---", "---:", "---:", "---:", "---:", "---"]) + "|"]
    for result in results:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in _cells(result)) + " |")
    notes = [result.entry for result in results if result.entry.note]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {entry.script}: {entry.note}" for entry in notes]
    problems = [result for result in results if result.status != "ok" and result.detail]
    if problems:
        lines += ["", "## Failures", ""]
        for result in problems:
            lines += [f"### {result.entry.script}", "", "```", result.detail.rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _command(entry, script_path, epochs_cap):
    command = [sys.executable, "-m", "tfcompat"]
    if epochs_cap is not None:
        command += ["--epochs-cap", str(epochs_cap)]
    if entry.numpy_aliases:
        command.append("--numpy-aliases")
    return command + [str(script_path)]


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        process.kill()


def run_script(entry, script_path, workdir, epochs_cap=None, timeout=None, out=None, env=None):
    """Run one script through the runner in ``workdir``, streaming its output; a Result."""
    out = out or sys.stdout
    environment = dict(os.environ if env is None else env)
    environment["PYTHONUNBUFFERED"] = "1"
    if epochs_cap is None:
        environment.pop("TFCOMPAT_EPOCHS_CAP", None)
    result = Result(entry, full_length=epochs_cap is None or epochs_cap >= entry.epochs)
    started = time.monotonic()
    process = subprocess.Popen(_command(entry, script_path, epochs_cap), cwd=workdir,
                               env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                               errors="replace", bufsize=1, start_new_session=True)

    def pump():
        for line in process.stdout:
            line = line.rstrip("\n")
            result.output.append(line)
            print("    " + line, file=out, flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.wait()
        result.status = "timeout"
    except BaseException:
        _kill(process)
        process.wait()
        raise
    reader.join(timeout=10)
    result.seconds = time.monotonic() - started
    result.returncode = process.returncode
    tail = "\n".join(result.output[-25:])
    if result.status == "timeout":
        result.detail = f"killed after {timeout:g} s\n{tail}"
        return result
    parsed = parse_accuracy(result.output)
    if process.returncode != 0:
        result.status = "failed"
        result.detail = f"exit status {process.returncode}\n{tail}"
    elif parsed is None:
        result.status = "no accuracy"
        result.detail = "the script printed no line with 'accuracy' and a number\n" + tail
    if parsed is not None and result.status == "ok":
        result.accuracy, result.split = parsed
    return result


def _describe(entry, epochs_cap):
    book = ("no book figure" if entry.book_accuracy is None
            else f"book {entry.book_accuracy:.4f} ({entry.split})")
    length = f"{entry.epochs} epochs of {entry.batch}"
    if epochs_cap is not None and epochs_cap < entry.epochs:
        length += f", capped at {epochs_cap}"
    return f"{entry.listing} - {book}, {length}"


def _parser():
    parser = argparse.ArgumentParser(
        prog="tfcompat book-check",
        description="Run the chapter-11 scripts unchanged and compare their final accuracy with "
                    "the figures printed in the book.")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only this script (repeatable; with or without .py); the "
                             "scripts it restores checkpoints from run first")
    parser.add_argument("--ci", action="store_true",
                        help="the CI full-length set: batch normalization, dropout, l1 "
                             "regularization, exponential decay")
    parser.add_argument("--epochs-cap", type=int, metavar="N",
                        help="cap every script's n_epochs at N (a smoke run: accuracies are "
                             "reported but not judged)")
    parser.add_argument("--report", metavar="FILE", help="also write the table as Markdown")
    parser.add_argument("--scripts-dir", metavar="DIR", default=None,
                        help="where the scripts are (default: chapter11_scripts/ next to the "
                             "tfcompat package)")
    parser.add_argument("--workdir", metavar="DIR", default=None,
                        help="run in (and keep) DIR instead of a temporary directory")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", default=None,
                        help="kill a script that runs longer than this")
    parser.add_argument("--jobs", type=int, metavar="N", default=1,
                        help="run up to N scripts at once (chains linked by 'requires' stay in "
                             "order); default 1")
    parser.add_argument("--data", metavar="FILE", default=None, help=argparse.SUPPRESS)
    return parser


class _Runs:
    """Runs the selected entries, one chain of ``requires`` after the other or up to ``jobs``
    chains at once; collects {script: Result}."""

    def __init__(self, selected, args, scripts_dir, root):
        self.selected, self.args, self.scripts_dir, self.root = selected, args, scripts_dir, root
        self.groups = working_groups(selected)
        self.numbers = {entry.script: number for number, entry in enumerate(selected, 1)}
        self.results = {}
        self._print_lock = threading.Lock()

    def run_all(self):
        """The Results in the order of ``selected``."""
        if self.args.jobs <= 1:
            for entry in self.selected:
                self._run_entry(entry, sys.stdout)
        else:
            chains = {}
            for entry in self.selected:
                chains.setdefault(self.groups[entry.script], []).append(entry)
            with concurrent.futures.ThreadPoolExecutor(self.args.jobs) as pool:
                for future in [pool.submit(self._run_chain, chain) for chain in chains.values()]:
                    future.result()
        return [self.results[entry.script] for entry in self.selected]

    def _run_chain(self, chain):
        for entry in chain:
            buffer = io.StringIO()
            self._run_entry(entry, buffer)
            with self._print_lock:
                sys.stdout.write(buffer.getvalue())
                sys.stdout.flush()

    def _run_entry(self, entry, out):
        """Runs one script (or skips it when the one it restores did not run through)."""
        args = self.args
        print(f"[{self.numbers[entry.script]}/{len(self.selected)}] {entry.script}: "
              f"{_describe(entry, args.epochs_cap)}", file=out, flush=True)
        needed = self.results.get(entry.requires)
        if needed is not None and needed.status != "ok":
            result = Result(entry, status="skipped",
                            full_length=args.epochs_cap is None or args.epochs_cap >= entry.epochs,
                            detail=f"{entry.requires} (which it restores) did not run through")
            print(f"    => skipped: {result.detail}", file=out, flush=True)
            self.results[entry.script] = result
            return
        workdir = self.root / self.groups[entry.script]
        workdir.mkdir(exist_ok=True)
        result = run_script(entry, (self.scripts_dir / entry.script).resolve(), workdir,
                            epochs_cap=args.epochs_cap, timeout=args.timeout, out=out)
        self.results[entry.script] = result
        if result.status == "ok":
            summary = f"{result.accuracy:.4f} ({result.split or '?'})"
            if result.difference is not None:
                summary += f", {result.difference:+.2f} points vs the book"
        else:
            summary = f"{result.status.upper()} ({result.detail.splitlines()[0]})"
        print(f"    => {summary}, {result.seconds:.1f} s [{verdict(result)}]", file=out,
              flush=True)


def main(argv=None):
    """Entry point of ``tfcompat book-check``; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.epochs_cap is not None and args.epochs_cap < 1:
        parser.error("--epochs-cap must be at least 1")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    entries = load_entries(args.data)
    try:
        selected = select(entries, only=args.only, ci=args.ci)
    except KeyError as exc:
        names = ", ".join(entry.name for entry in entries)
        parser.error(f"no chapter-11 script named {exc.args[0]!r}; known: {names}")
    scripts_dir = Path(args.scripts_dir) if args.scripts_dir else DEFAULT_SCRIPTS_DIR
    missing = [entry.script for entry in selected if not (scripts_dir / entry.script).is_file()]
    if missing:
        parser.error(f"{', '.join(missing)} not found in {scripts_dir} (pass --scripts-dir: the "
                     "scripts are in the repository's chapter11_scripts/)")
    temporary = None
    if args.workdir:
        root = Path(args.workdir)
        root.mkdir(parents=True, exist_ok=True)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="tfcompat-book-check-")
        root = Path(temporary.name)
    try:
        results = _Runs(selected, args, scripts_dir, root).run_all()
    finally:
        if temporary is not None:
            temporary.cleanup()

    print()
    print(format_table(results))
    total = sum(result.seconds for result in results)
    bad = [result for result in results if failed(result)]
    print(f"\n{len(results)} scripts in {total:.0f} s; "
          + (f"{len(bad)} failed: {', '.join(r.entry.script for r in bad)}" if bad
             else "all within the book's tolerance" if args.epochs_cap is None
             else "all ran (epochs capped: accuracies not judged)"))
    if args.report:
        Path(args.report).write_text(format_markdown(results, args.epochs_cap), encoding="utf-8")
        print(f"report written to {args.report}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
