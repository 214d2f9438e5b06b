"""``tf.graph_util``: GraphDef freezing and pruning (``tfcompat.framework.graph_util``)."""
from tfcompat.framework.graph_util import (convert_variables_to_constants,  # noqa: F401
                                           extract_sub_graph, import_graph_def, must_run_on_cpu,
                                           remove_training_nodes,
                                           tensor_shape_from_node_def_name)
