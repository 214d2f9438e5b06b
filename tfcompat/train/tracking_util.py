"""``tf.train.Checkpoint`` in graph mode (TF 1.x ``training/tracking/util.py``): object-based
checkpoints, as TF1 programs use them.

The objects given as keyword arguments, and what they hold, are found breadth first (the
shortest path names an object, as in TF): variables, nested Checkpoints, lists, tuples and
dicts, optimizers (their non-slot variables by name, and each slot of a tracked variable as
``<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot name>``) and other objects through
their public attributes (Keras layers' ``kernel`` ...). A variable is saved under
``<path>/.ATTRIBUTES/VARIABLE_VALUE``, path elements escaped as TF does ("." -> "..",
"/" -> "./"). ``save`` counts saves in the variable ``save_counter``, writes
``<file_prefix>-<count>`` through a ``tf.train.Saver`` and records it in the directory's
``checkpoint`` file; ``restore`` returns a status whose ``run_restore_ops`` /
``initialize_or_restore`` assign the values of the objects that exist now. Not reproduced:
the serialized object graph (``_CHECKPOINTABLE_OBJECT_GRAPH``) and deferred restoration of
variables created after ``restore``.
"""
import collections
import os
import types

from tfcompat.client.session import get_default_session
from tfcompat.framework import dtypes, ops
from tfcompat.lib.io import checkpoint_state as _state_file
from tfcompat.ops import variables
from tfcompat.train import checkpoint_utils
from tfcompat.train import saver as saver_lib
from tfcompat.train.optimizer import Optimizer

_VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
_SLOT_MARKER = "/.OPTIMIZER_SLOT/"


def _escape(name):
    return str(name).replace(".", "..").replace("/", "./")


def _children(obj):
    """(name, child) pairs of an object the traversal goes into."""
    if isinstance(obj, Checkpoint):
        return list(obj._objects.items())
    if isinstance(obj, (list, tuple)):
        return [(str(i), v) for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        return [(str(k), v) for k, v in obj.items()]
    if isinstance(obj, Optimizer):
        return sorted((v.op.name.split("/")[-1], v) for v in obj._non_slot_variables())
    if hasattr(obj, "__dict__") and not isinstance(obj, type):
        return [(k, v) for k, v in vars(obj).items() if not k.startswith("_")]
    return []


_NOT_TRACKED = (type, types.ModuleType, types.FunctionType, types.MethodType,
                types.BuiltinFunctionType, ops.Tensor, ops.Operation, ops.Graph)


def _is_container(obj):
    """Whether the traversal goes into ``obj``: checkpoints, containers, optimizers and
    objects of Python classes (not modules, functions, graph elements or NumPy's)."""
    if isinstance(obj, (Checkpoint, list, tuple, dict, Optimizer)):
        return True
    return (hasattr(obj, "__dict__") and not isinstance(obj, _NOT_TRACKED)
            and type(obj).__module__.split(".")[0] not in ("numpy", "builtins"))


def _saveables(root):
    """{checkpoint key: variable} of everything ``root`` reaches."""
    paths, queue, seen = {}, collections.deque([((), root)]), {id(root)}
    optimizers = []
    while queue:
        path, obj = queue.popleft()
        for name, child in _children(obj):
            if id(child) in seen or child is None:
                continue
            if isinstance(child, variables.Variable):
                seen.add(id(child))
                paths[child] = path + (_escape(name),)
            elif _is_container(child):
                seen.add(id(child))
                if isinstance(child, Optimizer):
                    optimizers.append((path + (_escape(name),), child))
                queue.append((path + (_escape(name),), child))
    keys = {"/".join(path) + _VALUE_SUFFIX: var for var, path in paths.items()}
    for optimizer_path, optimizer in optimizers:
        for slot_name in optimizer.get_slot_names():
            for var, path in list(paths.items()):
                slot = optimizer.get_slot(var, slot_name)
                if slot is not None:
                    keys["/".join(path) + _SLOT_MARKER + "/".join(optimizer_path) + "/"
                         + _escape(slot_name) + _VALUE_SUFFIX] = slot
    return keys


def _record_state(directory, latest, paths, timestamps=None, last_preserved_timestamp=None):
    """Writes ``directory/checkpoint`` with paths relative to it, as TF's object-based
    checkpoints do."""
    _state_file.write_checkpoint_state(directory, latest, list(paths), "checkpoint", True,
                                       timestamps, last_preserved_timestamp)


def _session(session):
    session = session or get_default_session()
    if session is None:
        raise ValueError("The session argument was not provided and there is no default "
                         "session: pass session= or use `with sess.as_default()`.")
    return session


class CheckpointLoadStatus:
    """What ``Checkpoint.restore`` returns: the restore to run and what it matched."""

    def __init__(self, checkpoint, save_path):
        self._checkpoint = checkpoint
        self._save_path = save_path
        reader = checkpoint_utils.load_checkpoint(save_path)
        self._checkpoint_keys = set(reader.get_variable_to_shape_map())
        if "save_counter" + _VALUE_SUFFIX in self._checkpoint_keys:
            checkpoint.save_counter  # noqa: B018 - made so that it is restored too
        self._objects = _saveables(checkpoint)
        self._matched = {k: v for k, v in self._objects.items() if k in self._checkpoint_keys}
        self._saver = saver_lib.Saver(var_list=self._matched) if self._matched else None

    def run_restore_ops(self, session=None):
        """Assigns the checkpoint's values to the objects that are in it."""
        if self._saver is not None:
            self._saver.restore(_session(session), self._save_path)

    def initialize_or_restore(self, session=None):
        """Restores what the checkpoint has and initialises the other variables."""
        session = _session(session)
        self.run_restore_ops(session)
        unmatched = [v for k, v in self._objects.items() if k not in self._matched]
        if unmatched:
            session.run([v.initializer for v in unmatched])

    def assert_consumed(self):
        """AssertionError unless every checkpoint value and every object were matched."""
        unused = sorted(self._checkpoint_keys - set(self._matched))
        if unused:
            raise AssertionError("Unresolved object in checkpoint: %s" % unused[0])
        self.assert_existing_objects_matched()
        return self

    def assert_existing_objects_matched(self):
        """AssertionError unless every tracked variable has a value in the checkpoint."""
        missing = sorted(k for k in self._objects if k not in self._matched)
        if missing:
            raise AssertionError("Object not assigned a value from checkpoint: %s"
                                 % missing[0])
        return self

    def assert_nontrivial_match(self):
        """AssertionError unless something besides the save counter was matched."""
        if not set(self._matched) - {"save_counter" + _VALUE_SUFFIX}:
            raise AssertionError("Nothing except the root object matched a checkpointed "
                                 "value. Typically this means that the checkpoint does not "
                                 "match the Python program.")
        return self

    def expect_partial(self):
        return self


class InitializationOnlyStatus:
    """``Checkpoint.restore(None)``: nothing to restore; ``initialize_or_restore`` runs the
    initializers of the tracked variables."""

    def __init__(self, checkpoint):
        self._checkpoint = checkpoint

    def run_restore_ops(self, session=None):
        pass

    def initialize_or_restore(self, session=None):
        objects = _saveables(self._checkpoint)
        if objects:
            _session(session).run([v.initializer for v in objects.values()])

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being "
                             "restored.")

    assert_existing_objects_matched = assert_consumed
    assert_nontrivial_match = assert_consumed

    def expect_partial(self):
        return self


class Checkpoint:
    """``tf.train.Checkpoint(**kwargs)``: groups objects to save and restore together."""

    def __init__(self, **kwargs):
        for value in kwargs.values():
            if not _is_container(value) and not isinstance(value, variables.Variable):
                raise ValueError("`Checkpoint` was expecting a trackable object (an object "
                                 "derived from `TrackableBase`), got %s. If you believe this "
                                 "object should be trackable (i.e. it is part of the "
                                 "TensorFlow Python API and manages state), please open an "
                                 "issue." % (value,))
        self._objects = dict(kwargs)
        self._save_counter = None
        self._save_assign_op = None
        self._savers = {}

    def __getattr__(self, name):
        objects = self.__dict__.get("_objects", {})
        if name in objects:
            return objects[name]
        raise AttributeError(f"'Checkpoint' object has no attribute '{name}'")

    @property
    def save_counter(self):
        """An int64 variable counting ``save`` calls (made on first use, as in TF)."""
        if self._save_counter is None:
            with ops.device("/cpu:0"):
                self._save_counter = variables.Variable(0, dtype=dtypes.int64,
                                                        trainable=False, name="save_counter")
            self._objects["save_counter"] = self._save_counter
        return self._save_counter

    def _saver(self):
        """The Saver of the current objects (rebuilt when they change)."""
        objects = _saveables(self)
        key = tuple(sorted((k, id(v)) for k, v in objects.items()))
        found = self._savers.get(key)
        if found is None:
            found = self._savers[key] = saver_lib.Saver(var_list=objects, max_to_keep=None)
        return found

    def write(self, file_prefix, session=None):
        """Writes the checkpoint ``file_prefix`` (no counter, no state file); returns it."""
        session = _session(session)
        file_prefix = os.fspath(file_prefix)
        # TF's bundle writer creates the directory of the prefix.
        os.makedirs(os.path.dirname(file_prefix) or os.curdir, exist_ok=True)
        return self._saver().save(session, file_prefix, write_meta_graph=False,
                                  write_state=False)

    def save(self, file_prefix, session=None):
        """Increments ``save_counter``, writes ``<file_prefix>-<count>`` and records it as
        the directory's latest checkpoint; returns its path."""
        session = _session(session)
        checkpoint_number = session.run(self._increment_save_counter(session))
        file_prefix = os.fspath(file_prefix)
        path = self.write("%s-%d" % (file_prefix, checkpoint_number), session)
        _record_state(os.path.dirname(file_prefix), path, [path])
        return path

    def _increment_save_counter(self, session):
        """The op adding one to ``save_counter`` (initialised when it is new)."""
        if self._save_counter is None:
            session.run(self.save_counter.initializer)
        if self._save_assign_op is None:
            self._save_assign_op = self.save_counter.assign_add(1)
        return self._save_assign_op

    def restore(self, save_path):
        """A status object for restoring ``save_path`` (None: initialise only)."""
        if save_path is None:
            return InitializationOnlyStatus(self)
        return CheckpointLoadStatus(self, os.fspath(save_path))
