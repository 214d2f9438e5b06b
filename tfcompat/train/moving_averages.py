"""``tf.train.ExponentialMovingAverage`` and ``assign_moving_average`` (TF 1.x
``training/moving_averages.py``).

``apply(var_list)`` creates one shadow variable per variable, ``<var>/ExponentialMovingAverage``
(a slot initialised to the variable's initial value; zeros for a tensor, with zero-debiasing
when asked), and returns an op that moves each shadow towards its variable:
shadow -= (1 - decay) * (shadow - var), with decay = min(decay, (1 + n) / (10 + n)) when
``num_updates`` is given. ``variables_to_restore`` maps shadow names to variables, so a
Saver built from it restores the averages into the model's variables.
"""
from tfcompat.framework import dtypes, ops
from tfcompat.ops import init_ops, variable_scope, variables
from tfcompat.ops import control_flow_ops, math_ops, state_ops
from tfcompat.train import slot_creator


def _key(var):
    return (var.op.graph, var.op.name)


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """variable -= (1 - decay) * (variable - value) (AssignSub named after the scope
    "AssignMovingAvg"); with ``zero_debias`` the average of a zero-initialised variable is
    kept in ``<variable>/biased`` and divided by 1 - decay^t (``<variable>/local_step``)."""
    with ops.name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        one_minus_decay = ops.convert_to_tensor(1.0 - decay, name="decay")
        if one_minus_decay.dtype.base_dtype != variable.dtype.base_dtype:
            one_minus_decay = math_ops.cast(one_minus_decay, variable.dtype.base_dtype)
        value = ops.convert_to_tensor(value)
        if zero_debias:
            return _zero_debias(variable, value, one_minus_decay)
        return state_ops.assign_sub(variable, (variable - value) * one_minus_decay, name=scope)


def _zero_debias(unbiased_var, value, one_minus_decay):
    """TF's _zero_debias: a biased average and a step counter beside the variable."""
    with variable_scope.variable_scope(unbiased_var.op.name,
                                       values=[unbiased_var, value, one_minus_decay]):
        with ops.colocate_with(unbiased_var), ops.get_default_graph().control_dependencies(
                None):
            biased = variable_scope.get_variable(
                "biased", shape=unbiased_var.get_shape(), dtype=unbiased_var.dtype.base_dtype,
                initializer=init_ops.zeros_initializer(), trainable=False)
            local_step = variable_scope.get_variable(
                "local_step", shape=[], dtype=unbiased_var.dtype.base_dtype,
                initializer=init_ops.zeros_initializer(), trainable=False)
        update_biased = state_ops.assign_sub(biased, (biased - value) * one_minus_decay)
        update_local_step = state_ops.assign_add(local_step, 1)
        bias_factor = 1 - math_ops.pow(1.0 - one_minus_decay, update_local_step)
        return state_ops.assign(unbiased_var, update_biased / bias_factor,
                                name=ops.get_default_graph().get_name_scope() + "/")


class ExponentialMovingAverage:
    """``tf.train.ExponentialMovingAverage(decay, num_updates=None, zero_debias=False,
    name="ExponentialMovingAverage")``."""

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """Creates the shadow variables of ``var_list`` (default: the trainable variables)
        and returns the op updating all of them."""
        if var_list is None:
            var_list = variables.trainable_variables()
        zero_debiased = set()
        for var in var_list:
            if var.dtype.base_dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if _key(var) in self._averages:
                raise ValueError(f"Moving average already computed for: {var.name}")
            with ops.get_default_graph().control_dependencies(None):
                if isinstance(var, variables.Variable):
                    average = slot_creator.create_slot(var, var.initialized_value(),
                                                       self._name)
                    ops.add_to_collection(ops.GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    average = slot_creator.create_zeros_slot(var, self._name)
                    if self._zero_debias:
                        zero_debiased.add(_key(average))
            self._averages[_key(var)] = average
        with ops.name_scope(self._name) as scope:
            decay = ops.convert_to_tensor(self._decay, name="decay")
            if self._num_updates is not None:
                num_updates = math_ops.cast(self._num_updates, dtypes.float32,
                                            name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = [assign_moving_average(self._averages[_key(var)], var, decay,
                                             zero_debias=_key(self._averages[_key(var)])
                                             in zero_debiased)
                       for var in var_list]
            return control_flow_ops.group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of ``var``, or None."""
        return self._averages.get(_key(var))

    def average_name(self, var):
        """The name of ``var``'s shadow variable ("<var op name>/<name>" before apply)."""
        average = self._averages.get(_key(var))
        if average is not None:
            return average.op.name
        return var.op.name + "/" + self._name

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable}: the averages' names for the averaged variables, the
        variables' own names for every other global variable."""
        if moving_avg_variables is None:
            moving_avg_variables = (variables.trainable_variables()
                                    + variables.moving_average_variables())
        averaged = {_key(v): v for v in moving_avg_variables}
        name_map = {self.average_name(v): v for v in averaged.values()}
        averaged_names = {v.name for v in averaged.values()}
        for v in variables.global_variables():
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
