"""``tf.contrib.opt.MovingAverageOptimizer`` (TF 1.15 ``moving_average_optimizer.py``): an
optimizer that also keeps exponential moving averages of the variables it trains, and a
``swapping_saver`` that writes each average under its variable's name (and the variable
under the average's), so that a model restored from it evaluates with the averages.
"""
from tfcompat.framework import ops
from tfcompat.ops import control_flow_ops, variables
from tfcompat.train import moving_averages
from tfcompat.train import saver as saver_lib
from tfcompat.train.optimizer import Optimizer


class MovingAverageOptimizer(Optimizer):
    """``MovingAverageOptimizer(opt, average_decay=0.9999, num_updates=None,
    sequential_update=True)``: ``opt``'s updates, then (after them, with
    ``sequential_update``) the averages' ``ExponentialMovingAverage.apply``."""

    def __init__(self, opt, average_decay=0.9999, num_updates=None, sequential_update=True):
        super().__init__(use_locking=False, name=opt.get_name())
        self._optimizer = opt
        self._ema = moving_averages.ExponentialMovingAverage(
            average_decay, num_updates=num_updates, zero_debias=True)
        self._swapped_variable_name_map = None
        self._sequential_update = sequential_update

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        train_op = self._optimizer.apply_gradients(grads_and_vars, global_step=global_step,
                                                   name=name)
        var_list = [var for grad, var in grads_and_vars if grad is not None]
        self._swapped_variable_name_map = {}
        if self._sequential_update:
            with ops.control_dependencies([train_op]):
                ma_op = self._ema.apply(var_list)
        else:
            ma_op = self._ema.apply(var_list)
        for var in var_list:
            average = self._ema.average(var)
            self._swapped_variable_name_map[var.op.name] = average.op.name
            self._swapped_variable_name_map[average.op.name] = var.op.name
        return control_flow_ops.group(train_op, ma_op, name="train_with_avg")

    def _find_swapped_variable(self, name_to_tensor, name, tensor):
        swapped_name = self._swapped_variable_name_map.get(name)
        if swapped_name is None:
            return tensor
        if swapped_name not in name_to_tensor:
            raise ValueError(f"Variable to swap {swapped_name} is not part of variables to "
                             f"save. This breaks MovingAverageOptimizer.")
        return name_to_tensor[swapped_name]

    def swapping_saver(self, var_list=None, name="swapping_saver", **kwargs):
        """A ``tf.train.Saver`` of ``var_list`` (default: the global variables) in which each
        trained variable and its average trade checkpoint names."""
        if self._swapped_variable_name_map is None:
            raise RuntimeError("Must call apply_gradients or minimize before creating the "
                               "swapping_saver()")
        if var_list is None:
            var_list = variables.global_variables()
        if not isinstance(var_list, dict):
            var_list = saver_lib.op_list_to_dict(var_list)
        name_to_tensor = {}
        for key, tensor_or_list in var_list.items():
            if isinstance(tensor_or_list, (list, variables.PartitionedVariable)):
                name_to_tensor.update((tensor.op.name, tensor) for tensor in tensor_or_list)
            else:
                name_to_tensor[key] = tensor_or_list
        swapped = {}
        for key, tensor_or_list in var_list.items():
            if isinstance(tensor_or_list, list):
                swapped[key] = [self._find_swapped_variable(name_to_tensor, tensor.op.name,
                                                            tensor)
                                for tensor in tensor_or_list]
            else:
                swapped[key] = self._find_swapped_variable(name_to_tensor, key, tensor_or_list)
        return saver_lib.Saver(swapped, name=name, **kwargs)
