"""How much of TensorFlow 1.x's public API tfcompat provides (``tfcompat api-coverage``).

The API lists are text files, one ``tf.<ns>.<name>`` per line, one ``<ns>.txt`` per namespace
(``tf.txt`` is the top level), as in ``../shared/tf1_api``. A name counts as covered when
``getattr`` walks from the ``tfcompat`` module to a real object; the "tfcompat does not
implement ... yet" AttributeError (or any AttributeError), or a sub-namespace that fails to
import, means it is missing.

    tfcompat api-coverage [--missing] [--resolved] [--api-dir DIR]

``--resolved`` prints only the covered names, one a line; with ``--output FILE`` the
report goes to FILE, written only once it is complete. That is how
``tests/api_coverage_baseline.txt`` is regenerated:

    python -m tfcompat api-coverage --resolved --output tests/api_coverage_baseline.txt
"""
import argparse
import importlib
import os
import sys
from pathlib import Path

_ENV_API_DIR = "TFCOMPAT_API_DIR"


def default_api_dir():
    """$TFCOMPAT_API_DIR, else ``shared/tf1_api`` beside the checkout holding tfcompat."""
    if os.environ.get(_ENV_API_DIR):
        return Path(os.environ[_ENV_API_DIR])
    return Path(__file__).resolve().parents[3] / "shared" / "tf1_api"


def resolves(name):
    """Whether ``tf.a.b`` names a real object in tfcompat (walking attributes from it; a
    namespace module that cannot be imported counts as missing)."""
    parts = name.split(".")
    if parts[0] != "tf":
        raise ValueError(f"API name {name!r} does not start with 'tf.'")
    value = importlib.import_module("tfcompat")
    for part in parts[1:]:
        try:
            value = getattr(value, part)
        except (AttributeError, ImportError):
            return False
    return True


def read_api_lists(api_dir):
    """{namespace: [names]} from the ``*.txt`` files of ``api_dir`` ("tf" = top level)."""
    api_dir = Path(api_dir)
    files = sorted(api_dir.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no API lists (*.txt) in {api_dir}")
    lists = {}
    for path in files:
        names = [line.strip() for line in path.read_text().splitlines()]
        lists[path.stem] = [n for n in names if n and not n.startswith("#")]
    return lists


def coverage(lists):
    """{namespace: (covered names, missing names)}, both in list order."""
    report = {}
    for namespace, names in lists.items():
        found = [n for n in names if resolves(n)]
        covered = set(found)
        report[namespace] = (found, [n for n in names if n not in covered])
    return report


def format_report(report, show_missing=False):
    """Lines ``namespace  covered/total  percent`` per namespace, then the overall figure;
    with ``show_missing`` each namespace's missing names follow it, indented."""
    width = max(len(ns) for ns in report) + 2
    lines = []
    total_covered = total = 0
    for namespace in sorted(report, key=lambda ns: (ns != "tf", ns)):
        found, missing = report[namespace]
        count = len(found) + len(missing)
        total_covered += len(found)
        total += count
        lines.append(f"{namespace:<{width}}{len(found):>5}/{count:<5}{_percent(len(found), count)}")
        if show_missing:
            lines.extend(f"    {name}" for name in missing)
    lines.append(f"{'overall':<{width}}{total_covered:>5}/{total:<5}"
                 f"{_percent(total_covered, total)}")
    return lines


def _percent(part, whole):
    return f"{100.0 * part / whole:6.1f}%" if whole else "     -"


def main(argv=None):
    """``tfcompat api-coverage``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="tfcompat api-coverage",
        description="Resolve every name of TensorFlow 1.x's public API lists against tfcompat "
                    "and print covered/total per namespace and overall.")
    parser.add_argument("--api-dir", type=Path, default=None,
                        help="folder of <namespace>.txt lists (default: $TFCOMPAT_API_DIR, "
                             "else shared/tf1_api beside the checkout)")
    parser.add_argument("--missing", action="store_true",
                        help="also list the names tfcompat does not provide")
    parser.add_argument("--resolved", action="store_true",
                        help="print only the names that resolve, one a line (the baseline "
                             "file's format)")
    parser.add_argument("--output", type=Path, default=None, metavar="FILE",
                        help="write the report to FILE (replaced only when complete) instead "
                             "of printing it")
    options = parser.parse_args(argv)
    api_dir = options.api_dir or default_api_dir()
    try:
        lists = read_api_lists(api_dir)
    except FileNotFoundError as exc:
        print(f"tfcompat api-coverage: {exc}", file=sys.stderr)
        return 2
    report = coverage(lists)
    if options.resolved:
        lines = sorted(name for found, _ in report.values() for name in found)
    else:
        lines = format_report(report, options.missing)
    text = "\n".join(lines) + "\n"
    if options.output is None:
        sys.stdout.write(text)
    else:
        partial = options.output.with_name(options.output.name + ".partial")
        partial.write_text(text)
        os.replace(partial, options.output)
    return 0
