"""The backward walk over a graph's ops (from some ops back through their data and control
inputs) that a distributed step's partitioning, tf.data function bodies and Keras networks
share."""


def ops_upstream(roots, boundary=(), reached=(), more=None):
    """The set of ops ``roots`` need: the roots and every op reached from them back through
    data inputs (except the tensors in ``boundary``, e.g. fed ones) and control inputs.
    ``reached`` ops count as found without being walked past (a function's argument
    placeholders); ``more(op)``, when given, names further ops a found op needs (a while
    loop's stack pushes, the bodies of its function attrs)."""
    boundary = boundary if isinstance(boundary, (set, frozenset, dict)) else set(boundary)
    found, stack = set(reached), list(roots)
    while stack:
        op = stack.pop()
        if op in found:
            continue
        found.add(op)
        stack.extend(t.op for t in op.inputs if t not in boundary)
        stack.extend(op.control_inputs)
        if more is not None:
            stack.extend(more(op))
    return found
