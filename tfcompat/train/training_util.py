"""The global step (TF 1.x ``training/training_util.py``): an int64 scalar variable
"global_step" in the GLOBAL_STEP collection, or a variable named "global_step" made by hand
(``tf.Variable(0, trainable=False, name="global_step")``, the book's way)."""
from tfcompat.framework import dtypes, ops
from tfcompat.ops import init_ops
from tfcompat.ops import variable_scope
from tfcompat.ops import variables


def global_step(sess, global_step_tensor):
    """The current value of the global step as a Python int (``tf.train.global_step``)."""
    return int(sess.run(global_step_tensor))


def get_global_step(graph=None):
    """The global step of ``graph``: the only member of its GLOBAL_STEP collection, else the
    tensor "global_step:0", else None."""
    graph = graph or ops.get_default_graph()
    global_step_tensors = graph.get_collection(ops.GraphKeys.GLOBAL_STEP)
    if len(global_step_tensors) == 1:
        global_step_tensor = global_step_tensors[0]
    elif not global_step_tensors:
        try:
            global_step_tensor = graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None
    else:
        # Imported here: tf.logging binds its handler to sys.stderr when first imported.
        from tfcompat import logging
        logging.error("Multiple tensors in global_step collection.")
        return None
    assert_global_step(global_step_tensor)
    return global_step_tensor


def create_global_step(graph=None):
    """Creates the int64 "global_step" variable (zero, not trainable, in GLOBAL_VARIABLES and
    GLOBAL_STEP); ValueError if the graph has one already."""
    graph = graph or ops.get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError('"global_step" already exists.')
    with graph.as_default() as g, g.name_scope(None):
        return variable_scope.get_variable(
            ops.GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64,
            initializer=init_ops.zeros_initializer(), trainable=False,
            collections=[ops.GraphKeys.GLOBAL_VARIABLES, ops.GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    """The graph's global step, created first if needed."""
    graph = graph or ops.get_default_graph()
    global_step_tensor = get_global_step(graph)
    if global_step_tensor is None:
        global_step_tensor = create_global_step(graph)
    return global_step_tensor


def assert_global_step(global_step_tensor):
    """TypeError unless ``global_step_tensor`` is an integer scalar Variable or Tensor."""
    if not isinstance(global_step_tensor, (variables.Variable, ops.Tensor)):
        raise TypeError('Existing "global_step" must be a Variable or Tensor: %s.'
                        % global_step_tensor)
    if not global_step_tensor.dtype.base_dtype.is_integer:
        raise TypeError('Existing "global_step" does not have integer type: %s'
                        % global_step_tensor.dtype)
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError('Existing "global_step" is not scalar: %s' % shape)


__all__ = [
    "global_step",
    "get_global_step",
    "create_global_step",
    "get_or_create_global_step",
    "assert_global_step",
]
