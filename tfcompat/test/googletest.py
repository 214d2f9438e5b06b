"""The googletest side of ``tf.test`` (TF 1.15 ``platform/googletest.py``): ``main``,
``get_temp_dir``, ``test_src_dir_path``, ``mock`` and ``StubOutForTesting``."""
import atexit
import inspect
import os
import shutil
import sys
import tempfile
import unittest
from unittest import mock  # noqa: F401 (tf.test.mock is unittest.mock)

_temp_dir = None


def get_temp_dir():
    """A directory for this process's tests, made on first use and removed at exit (TF's
    GetTempDir)."""
    global _temp_dir
    if _temp_dir is None:
        first_frame = inspect.stack()[-1][0]
        script = os.path.basename(inspect.getfile(first_frame)) or "tfcompat_test"
        _temp_dir = tempfile.mkdtemp(prefix=os.path.splitext(script)[0] + "_")
        atexit.register(shutil.rmtree, _temp_dir, True)
    return _temp_dir


def test_src_dir_path(relative_path):
    """The absolute path of ``relative_path`` under the source tree: ``$TEST_SRCDIR/
    org_tensorflow/tensorflow`` as in TF when TEST_SRCDIR is set, else under the tfcompat
    package (tfcompat's counterpart of the tensorflow/ directory)."""
    if "TEST_SRCDIR" in os.environ:
        return os.path.join(os.environ["TEST_SRCDIR"], "org_tensorflow/tensorflow",
                            relative_path)
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(package, relative_path)


def main(argv=None):
    """Runs the tests of ``__main__`` with unittest (what ``tf.test.main()`` at the bottom
    of a test file does); exits with unittest's status."""
    args = sys.argv if argv is None else argv
    return unittest.main(module="__main__", argv=args)


class StubOutForTesting:
    """Replaces attributes for a test and puts them back (TF's googletest stubout):
    ``Set(parent, name, new)``, ``SmartSet(obj, name, new)``, ``UnsetAll``,
    ``SmartUnsetAll``, ``CleanUp``; also a context manager that cleans up on exit."""

    def __init__(self):
        self.cache = []
        self.stubs = []

    def __del__(self):
        self.SmartUnsetAll()
        self.UnsetAll()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.CleanUp()

    def CleanUp(self):  # noqa: N802 (TF's names)
        """Undoes every Set and SmartSet."""
        self.SmartUnsetAll()
        self.UnsetAll()

    def SmartSet(self, obj, attr_name, new_attr):  # noqa: N802
        """Replaces ``obj.attr_name`` (a module's, a class's or an instance's); an attribute
        ``obj`` only inherits is shadowed, and removed again on undo, so the inherited one
        (static and class methods included) comes back unchanged."""
        own = vars(obj) if hasattr(obj, "__dict__") else {}
        if attr_name not in own and not hasattr(obj, attr_name):
            raise AttributeError(f"Attribute not found: {attr_name}")
        self.stubs.append((obj, attr_name, attr_name in own, own.get(attr_name)))
        setattr(obj, attr_name, new_attr)

    def SmartUnsetAll(self):  # noqa: N802
        """Restores what SmartSet replaced, last first."""
        for obj, attr_name, was_own, old_attr in reversed(self.stubs):
            if was_own:
                setattr(obj, attr_name, old_attr)
            else:
                delattr(obj, attr_name)
        self.stubs = []

    def Set(self, parent, child_name, new_child):  # noqa: N802
        """Replaces ``parent.child_name`` (class attributes: their raw __dict__ value, so a
        staticmethod is restored as one)."""
        old_child = getattr(parent, child_name)
        old_attribute = parent.__dict__.get(child_name)
        if old_attribute is not None and isinstance(old_attribute, (staticmethod,
                                                                    classmethod)):
            old_child = old_attribute
        self.cache.append((parent, old_child, child_name))
        setattr(parent, child_name, new_child)

    def UnsetAll(self):  # noqa: N802
        """Restores what Set replaced, last first."""
        for parent, old_child, child_name in reversed(self.cache):
            setattr(parent, child_name, old_child)
        self.cache = []
