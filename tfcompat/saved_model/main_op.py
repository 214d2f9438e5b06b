"""``tf.saved_model.main_op``: the op a SavedModel runs after restoring its variables."""
from tfcompat.framework import ops
from tfcompat.ops import control_flow_ops, variables


def main_op():
    """One op initialising the global and local variables and the tables (TF's main_op)."""
    init = variables.global_variables_initializer()
    init_local = variables.local_variables_initializer()
    tables = ops.get_collection(ops.GraphKeys.TABLE_INITIALIZERS)
    init_tables = (control_flow_ops.group(*tables, name="init_all_tables") if tables
                   else control_flow_ops.no_op(name="init_all_tables"))
    return control_flow_ops.group(init, init_local, init_tables)


def main_op_with_restore(restore_op_name):
    """``main_op()`` followed by the restore op ``restore_op_name`` (an op, or its name as a
    SaverDef holds it)."""
    if isinstance(restore_op_name, (str, bytes)):
        name = restore_op_name.decode() if isinstance(restore_op_name, bytes) else restore_op_name
        restore_op_name = ops.get_default_graph().as_graph_element(name)
    with ops.control_dependencies([main_op()]):
        return control_flow_ops.group(restore_op_name)
