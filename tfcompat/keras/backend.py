"""``tf.keras.backend`` (graph mode): the Keras session and the learning phase.

``get_session()`` is the default Session if one is active, else one Keras session per graph,
created on first use; it initializes the variables it finds uninitialized, as TF 1.x Keras
does. ``learning_phase()`` is a ``keras_learning_phase`` bool placeholder defaulting to
False, which ``Model.fit`` feeds as True.
"""
import weakref

from tfcompat.client import session as session_lib
from tfcompat.framework import ops
from tfcompat.ops import variables
from tfcompat.ops import array_ops

_SESSIONS = weakref.WeakKeyDictionary()        # graph -> Session
_LEARNING_PHASES = weakref.WeakKeyDictionary()  # graph -> placeholder
_INITIALIZED = weakref.WeakKeyDictionary()      # Session -> set of initialized variables
_UIDS = weakref.WeakKeyDictionary()             # graph -> {prefix: last uid}


def get_session():
    """The default Session, or this graph's Keras Session; new variables get initialized."""
    session = session_lib.get_default_session()
    if session is None:
        graph = ops.get_default_graph()
        session = _SESSIONS.get(graph)
        if session is None:
            session = _SESSIONS[graph] = session_lib.Session(graph=graph)
    _initialize_variables(session)
    return session


def set_session(session):
    """Makes ``session`` the Keras session of its graph."""
    _SESSIONS[session.graph] = session


def _initialize_variables(session):
    done = _INITIALIZED.setdefault(session, set())
    candidates = [v for v in variables.global_variables() + variables.local_variables()
                  if v not in done]
    if not candidates:
        return
    flags = session.run([variables.is_variable_initialized(v) for v in candidates])
    pending = [v for v, flag in zip(candidates, flags, strict=True) if not flag]
    if pending:
        session.run(variables.variables_initializer(pending))
    done.update(candidates)


def learning_phase():
    """The graph's ``keras_learning_phase`` placeholder (False unless fed)."""
    graph = ops.get_default_graph()
    phase = _LEARNING_PHASES.get(graph)
    if phase is None:
        with ops.name_scope(""):
            phase = array_ops.placeholder_with_default(False, shape=[],
                                                       name="keras_learning_phase")
        _LEARNING_PHASES[graph] = phase
    return phase


def clear_session():
    """Closes the Keras session and starts a new default graph (``tf.reset_default_graph``)."""
    graph = ops.get_default_graph()
    session = _SESSIONS.pop(graph, None)
    if session is not None:
        session.close()
    ops.reset_default_graph()


def get_uid(prefix=""):
    """1, 2, 3 ... per prefix and graph (Keras names inputs "input_1", "input_2" ...)."""
    uids = _UIDS.setdefault(ops.get_default_graph(), {})
    uids[prefix] = uids.get(prefix, 0) + 1
    return uids[prefix]


def floatx():
    return "float32"


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.backend' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.backend.{name} yet")


