"""``slim.model_analyzer`` (TF 1.15 contrib/slim/python/slim/model_analyzer.py): sizes of a
model's variables and of its ops' outputs, optionally printed one per line as TF does
("conv1/weights:0 (float32_ref 3x3x1x8) [72, bytes: 288]")."""

__all__ = ["tensor_description", "analyze_ops", "analyze_vars"]


def tensor_description(var):
    """'(<dtype name> <d0>x<d1>x...)' of a tensor or variable."""
    return f"({var.dtype.name} " + "x".join(str(size) for size in var.shape) + ")"


def analyze_ops(graph, print_info=False):
    """The total number of elements of every op output of ``graph`` with a static shape."""
    if print_info:
        print("---------")
        print("Operations: name -> (type shapes) [size]")
        print("---------")
    total_size = 0
    for op in graph.get_operations():
        op_size = sum(output.shape.num_elements() or 0 for output in op.outputs)
        if print_info:
            shapes = [tensor_description(output) for output in op.outputs
                      if output.shape.dims is not None]
            print(op.name, "\t->", ", ".join(shapes), "[" + str(op_size) + "]")
        total_size += op_size
    return total_size


def analyze_vars(variables, print_info=False):
    """(total elements, total bytes) of ``variables``."""
    if print_info:
        print("---------")
        print("Variables: name (type shape) [size]")
        print("---------")
    total_size = 0
    total_bytes = 0
    for var in variables:
        var_size = var.shape.num_elements() or 0
        var_bytes = var_size * var.dtype.size
        total_size += var_size
        total_bytes += var_bytes
        if print_info:
            print(var.name, tensor_description(var), f"[{var_size}, bytes: {var_bytes}]")
    if print_info:
        print(f"Total size of variables: {total_size}")
        print(f"Total bytes of variables: {total_bytes}")
    return total_size, total_bytes
