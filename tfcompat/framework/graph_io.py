"""``tf.train.write_graph`` / ``tf.io.write_graph`` (TF 1.x ``framework/graph_io.py``)."""
import os

from tfcompat.framework import ops
from tfcompat.framework.graph_def import GraphDef
from tfcompat.lib.io import file_io
from tfcompat.lib.proto_text import graph_def_to_text


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes the GraphDef to ``logdir/name`` (creating ``logdir``), in protobuf text format
    (as TF's text_format writes it) or binary, atomically; returns the path."""
    if isinstance(graph_or_graph_def, ops.Graph):
        graph_or_graph_def = graph_or_graph_def.as_graph_def()
    data = graph_or_graph_def.SerializeToString() if isinstance(graph_or_graph_def, GraphDef) \
        else bytes(graph_or_graph_def)
    if not file_io.file_exists(logdir):
        file_io.recursive_create_dir(logdir)
    path = os.path.join(os.fsdecode(logdir), name)
    temporary = path + ".tmp" + str(os.getpid())
    with file_io.GFile(temporary, "w" if as_text else "wb") as f:
        f.write(graph_def_to_text(data) if as_text else data)
    os.replace(temporary, path)
    return path
