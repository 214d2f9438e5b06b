"""``python -m tfcompat`` and the ``tfcompat`` command: run TF 1.x scripts unchanged.

    tfcompat [run] [--numpy-aliases] [--epochs-cap N] SCRIPT.py [ARGS ...]
    tfcompat [run] [--numpy-aliases] [--epochs-cap N] [--figures DIR] [--stop-on-error]
             NOTEBOOK.ipynb
    tfcompat scan PATH [PATH ...]
    tfcompat book-check [ARGS ...]
    tfcompat api-coverage [--missing] [--resolved] [--api-dir DIR]

The script runs as ``python SCRIPT.py ARGS`` would, but ``import tensorflow`` gives tfcompat
(``tfcompat.runner``). Its exit status is the command's; an uncaught exception prints its
traceback from the script's first frame on and exits with status 1, as Python does. A
notebook's code cells run in order in one namespace (``tfcompat.tools.notebook``); ``scan``
lists the TensorFlow symbols of scripts and notebooks, marked supported or not, without
running them (``tfcompat.tools.scan``).
"""
import argparse
import importlib
import os
import sys

from tfcompat import runner

_USAGE = """tfcompat [run] [--numpy-aliases] [--epochs-cap N] SCRIPT.py [ARGS ...]
       tfcompat [run] [options] [--figures DIR] [--stop-on-error] NOTEBOOK.ipynb
       tfcompat scan PATH [PATH ...]
       tfcompat book-check [ARGS ...]
       tfcompat api-coverage [--missing] [--resolved] [--api-dir DIR]
       (python -m tfcompat ... takes the same arguments)"""

_DESCRIPTION = """Run a TensorFlow 1.x script unchanged on tfcompat: inside it, `import tensorflow`,
`import tensorflow.compat.v1 as tf`, `from tensorflow.examples.tutorials.mnist import
input_data` and the like give the tfcompat modules. The script gets __name__ == "__main__",
sys.argv == [SCRIPT.py, ARGS ...] and its folder first on sys.path. Options go before the
script name; everything after it is the script's."""


def _run_parser():
    parser = argparse.ArgumentParser(prog="tfcompat", usage=_USAGE, description=_DESCRIPTION)
    parser.add_argument(
        "--numpy-aliases", action="store_true",
        help="restore, for the script's run, the NumPy names NumPy 2 removed, with their old "
             "meanings: np.int is int, np.float float, np.bool bool, np.object object, "
             "np.complex complex, np.str and np.unicode str, np.infty inf, np.float_ float64, "
             "np.product prod ... (names NumPy still has, such as np.bool, are left alone). "
             "Off by default.")
    parser.add_argument(
        "--epochs-cap", type=int, metavar="N",
        help="set the environment variable TFCOMPAT_EPOCHS_CAP=N for the script, which "
             "tfcompat's chapter scripts read to cap their number of training epochs")
    parser.add_argument(
        "--figures", metavar="DIR",
        help="notebooks: save the figures each cell leaves open into DIR (default: close "
             "them)")
    parser.add_argument("--stop-on-error", action="store_true",
                        help="notebooks: stop at the first failing cell")
    parser.add_argument("script", metavar="SCRIPT.py",
                        help="the TF 1.x script (or .ipynb notebook) to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS",
                        help="the script's own arguments")
    return parser


def _print_script_traceback(exc, script):
    """Prints ``exc`` through sys.excepthook from the script's first frame on, leaving out the
    runner's frames as ``python SCRIPT.py`` would have none."""
    script_names = (script, os.path.abspath(script))
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in script_names:
        tb = tb.tb_next
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)  # the hook prints exc's own


def _run(argv):
    parser = _run_parser()
    options = parser.parse_args(argv)
    if not os.path.isfile(options.script):
        parser.error(f"can't open file {options.script!r}: no such file")
    if options.epochs_cap is not None:
        os.environ["TFCOMPAT_EPOCHS_CAP"] = str(options.epochs_cap)
    if options.script.endswith(".ipynb"):
        from tfcompat.tools import notebook
        return notebook.run_notebook(options.script, numpy_aliases=options.numpy_aliases,
                                     figures_dir=options.figures,
                                     stop_on_error=options.stop_on_error)
    try:
        runner.run_script(options.script, options.args, numpy_aliases=options.numpy_aliases)
    except Exception as exc:  # SystemExit and KeyboardInterrupt propagate as from Python itself
        _print_script_traceback(exc, options.script)
        return 1
    return 0


# --- book-check: implemented by tfcompat.book_check, which may not exist yet ---------------

def _book_check(argv):
    try:
        book_check = importlib.import_module("tfcompat.book_check")
    except ModuleNotFoundError as exc:
        if exc.name != "tfcompat.book_check":
            raise
        print("tfcompat book-check: not available in this installation (the module "
              "tfcompat.book_check is missing)", file=sys.stderr)
        return 2
    return book_check.main(argv)


def main(argv=None):
    """Entry point of ``tfcompat`` and ``python -m tfcompat``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["book-check"]:
        return _book_check(argv[1:])
    if argv[:1] == ["scan"]:
        from tfcompat.tools import scan
        return scan.main(argv[1:])
    if argv[:1] == ["api-coverage"]:
        from tfcompat.tools import api_coverage
        return api_coverage.main(argv[1:])
    if argv[:1] == ["run"]:
        argv = argv[1:]
    return _run(argv)


if __name__ == "__main__":
    sys.exit(main())
