"""``print_summary``: Keras 2.2.4-tf's model table.

Stack-like models get 65 columns (Layer (type) | Output Shape | Param #); other functional
models 98 columns with "Connected to" ("concatenate[0][0]"). Rows are separated by "_" lines,
the table ends with "=" and the total / trainable / non-trainable parameter counts.
"""
import numpy as np


def _count(weights):
    return int(sum(np.prod(w.shape.as_list()) for w in weights))


def _format_shape(layer):
    try:
        shape = layer.output_shape
    except AttributeError:
        return "multiple"
    if len(layer._inbound_nodes) > 1:
        return "multiple"
    if type(layer).__name__ == "InputLayer":
        return str([shape])
    return str(shape)


def _is_stack(model):
    """True when every layer is called once on the previous one's output."""
    if not getattr(model, "_is_graph_network", False) or type(model).__name__ == "Sequential":
        return True
    for node in model._nodes:
        if len(node.input_tensors) > 1 or len(node.layer._inbound_nodes) > 1:
            return False
    return len(model.inputs) == 1 and len(model.outputs) == 1


def _row(fields, positions):
    line = ""
    for field, position in zip(fields, positions, strict=True):
        line = (line + str(field))[:position]
        line += " " * (position - len(line))
    return line


def _connections(model, layer):
    names = []
    for node in model._nodes:
        if node.layer is layer:
            for tensor in node.input_tensors:
                history = getattr(tensor, "_keras_history", None)
                if history is not None:
                    names.append(f"{history[0].name}[{history[1]}][{history[2]}]")
    return names


def print_summary(model, line_length=None, positions=None, print_fn=None):
    """Prints ``model``'s summary with ``print_fn`` (``print`` by default)."""
    print_fn = print_fn or print
    stack = _is_stack(model)
    line_length = line_length or (65 if stack else 98)
    positions = positions or ([0.45, 0.85, 1.0] if stack else [0.33, 0.55, 0.67, 1.0])
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]
    headers = ["Layer (type)", "Output Shape", "Param #"] + ([] if stack else ["Connected to"])
    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_fn(_row(headers, positions))
    print_fn("=" * line_length)
    layers = model.layers
    for index, layer in enumerate(layers):
        params = layer.count_params() if layer.built else 0
        fields = [f"{layer.name} ({type(layer).__name__})", _format_shape(layer), params]
        if stack:
            print_fn(_row(fields, positions))
        else:
            connected = _connections(model, layer) or [""]
            print_fn(_row(fields + [connected[0]], positions))
            for name in connected[1:]:
                print_fn(_row(["", "", "", name], positions))
        print_fn("=" * line_length if index == len(layers) - 1 else "_" * line_length)
    trainable = _count(model.trainable_weights)
    print_fn(f"Total params: {_count(model.weights):,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {_count(model.non_trainable_weights):,}")
    print_fn("_" * line_length)
