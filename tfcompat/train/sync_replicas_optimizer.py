"""``tf.train.SyncReplicasOptimizer`` (TF 1.x ``training/sync_replicas_optimizer.py``):
synchronous data-parallel training by gradient aggregation.

Every worker's train op adds its gradients to one ConditionalAccumulator per variable
(SparseConditionalAccumulator for IndexedSlices gradients; shared by name,
``<var name>/grad_accum``) tagged with the worker's ``sync_rep_local_step``, then takes a
token from the ``sync_token_q`` queue and sets its local step to the token. The chief runs
a queue runner whose op takes the mean of ``replicas_to_aggregate`` gradients from every
accumulator, applies them with the wrapped optimizer (incrementing the global step) and puts
``max(total_num_replicas, replicas_to_aggregate)`` tokens holding the new global step into
the queue. Gradients computed from an older step than an accumulator's are dropped (stale).
``make_session_run_hook(is_chief)`` does the per-session setup in a MonitoredSession:
local step and accumulators' global step, the initial tokens, the chief's queue runner.
"""
from tfcompat import logging
from tfcompat.framework import ops
from tfcompat.ops import accumulator_ops, array_ops, control_flow_ops, data_flow_ops
from tfcompat.ops import state_ops, variables
from tfcompat.ops.indexed_slices import IndexedSlices
from tfcompat.train import optimizer, queue_runner, session_manager
from tfcompat.train.session_run_hook import SessionRunHook


class SyncReplicasOptimizer(optimizer.Optimizer):
    """``SyncReplicasOptimizer(opt, replicas_to_aggregate, total_num_replicas=None,
    variable_averages=None, variables_to_average=None, use_locking=False,
    name="sync_replicas")``."""

    def __init__(self, opt, replicas_to_aggregate, total_num_replicas=None,
                 variable_averages=None, variables_to_average=None, use_locking=False,
                 name="sync_replicas"):
        if total_num_replicas is None:
            total_num_replicas = replicas_to_aggregate
        super().__init__(use_locking, name)
        logging.info("SyncReplicasV2: replicas_to_aggregate=%s; total_num_replicas=%s",
                     replicas_to_aggregate, total_num_replicas)
        self._opt = opt
        self._replicas_to_aggregate = replicas_to_aggregate
        self._gradients_applied = False
        self._variable_averages = variable_averages
        self._variables_to_average = variables_to_average
        self._total_num_replicas = total_num_replicas
        self._tokens_per_step = max(total_num_replicas, replicas_to_aggregate)
        self._global_step = None
        self._sync_token_queue = None
        self._chief_queue_runner = None
        self._accumulator_list = []
        self._local_step = None
        self.local_step_init_op = None
        self.ready_for_local_init_op = None
        self.chief_init_op = None

    def compute_gradients(self, *args, **kwargs):
        """The wrapped optimizer's gradients."""
        return self._opt.compute_gradients(*args, **kwargs)

    def _accumulate(self, grad, var):
        """(this worker's apply op, the aggregated gradient) through var's accumulator."""
        if isinstance(grad, ops.Tensor):
            accumulator = accumulator_ops.ConditionalAccumulator(
                grad.dtype, shape=var.get_shape(), shared_name=var.name + "/grad_accum")
            apply = accumulator.apply_grad(grad, local_step=self._local_step)
            aggregated = accumulator.take_grad(self._replicas_to_aggregate)
        elif isinstance(grad, IndexedSlices):
            accumulator = accumulator_ops.SparseConditionalAccumulator(
                grad.dtype, shape=(), shared_name=var.name + "/grad_accum")
            apply = accumulator.apply_indexed_slices_grad(grad, local_step=self._local_step)
            aggregated = accumulator.take_indexed_slices_grad(self._replicas_to_aggregate)
        else:
            raise ValueError("Unknown grad type!")
        self._accumulator_list.append((accumulator, var.device))
        return apply, aggregated

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """This worker's train op (apply its gradients, take a token); also builds the
        chief's aggregation op and queue runner, and ``chief_init_op``."""
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("Must supply at least one variable")
        if global_step is None:
            raise ValueError("Global step is required to check staleness")
        self._global_step = global_step
        train_ops, aggregated_grads, var_list = [], [], []
        self._local_step = variables.Variable(
            initial_value=0, trainable=False, collections=[ops.GraphKeys.LOCAL_VARIABLES],
            dtype=global_step.dtype.base_dtype, name="sync_rep_local_step")
        self.local_step_init_op = state_ops.assign(self._local_step, global_step)
        chief_init_ops = [self.local_step_init_op]
        self.ready_for_local_init_op = variables.report_uninitialized_variables(
            variables.global_variables())
        with ops.name_scope(None, self._name):
            for grad, var in grads_and_vars:
                var_list.append(var)
                with ops.device(var.device):
                    if grad is None:
                        aggregated_grads.append(None)
                        continue
                    apply, aggregated = self._accumulate(grad, var)
                    train_ops.append(apply)
                    aggregated_grads.append(aggregated)
            with ops.device(global_step.device), ops.name_scope(""):
                update_op = self._opt.apply_gradients(zip(aggregated_grads, var_list, strict=True),
                                                      global_step)
                self._sync_token_queue = data_flow_ops.FIFOQueue(
                    -1, global_step.dtype.base_dtype, shapes=(), name="sync_token_q",
                    shared_name="sync_token_q")
                with ops.control_dependencies(train_ops):
                    token = self._sync_token_queue.dequeue()
                train_op = state_ops.assign(self._local_step, token)
                with ops.control_dependencies([update_op]):
                    tokens = array_ops.fill([self._tokens_per_step], global_step)
                    sync_op = self._sync_token_queue.enqueue_many((tokens,))
                if self._variable_averages is not None:
                    with ops.control_dependencies([sync_op]):
                        sync_op = self._variable_averages.apply(self._variables_to_average)
                self._chief_queue_runner = queue_runner.QueueRunner(self._sync_token_queue,
                                                                    [sync_op])
            for accumulator, device in self._accumulator_list:
                with ops.device(device):
                    chief_init_ops.append(accumulator.set_global_step(global_step,
                                                                      name="SetGlobalStep"))
            self.chief_init_op = control_flow_ops.group(*chief_init_ops)
            self._gradients_applied = True
            return train_op

    def get_chief_queue_runner(self):
        """The QueueRunner the chief runs to aggregate and apply the gradients."""
        if self._gradients_applied is False:
            raise ValueError("Should be called after apply_gradients().")
        return self._chief_queue_runner

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def variables(self):
        return self._opt.variables()

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def get_init_tokens_op(self, num_tokens=-1):
        """The op putting the first ``num_tokens`` tokens (default replicas_to_aggregate)
        into the queue, so the workers can finish their first step."""
        if self._gradients_applied is False:
            raise ValueError("get_init_tokens_op() should be called after "
                             "apply_gradients().")
        tokens_needed = self._replicas_to_aggregate - self._total_num_replicas
        if num_tokens == -1:
            num_tokens = self._replicas_to_aggregate
        elif num_tokens < tokens_needed:
            raise ValueError("Too few tokens to finish the first step: %d (given) vs %d "
                             "(needed)" % (num_tokens, tokens_needed))
        if num_tokens <= 0:
            return control_flow_ops.no_op(name="no_init_tokens")
        with ops.device(self._global_step.device), ops.name_scope(""):
            tokens = array_ops.fill([num_tokens], self._global_step)
            return self._sync_token_queue.enqueue_many((tokens,))

    def make_session_run_hook(self, is_chief, num_tokens=-1):
        """The SessionRunHook doing this optimizer's session setup."""
        return _SyncReplicasOptimizerHook(self, is_chief, num_tokens)


class _SyncReplicasOptimizerHook(SessionRunHook):
    """After the session is created: the local init (the chief's also sets the
    accumulators' global step), then on the chief the initial tokens and the queue
    runner."""

    def __init__(self, sync_optimizer, is_chief, num_tokens):
        self._sync_optimizer = sync_optimizer
        self._is_chief = is_chief
        self._num_tokens = num_tokens

    def begin(self):
        opt = self._sync_optimizer
        if opt._gradients_applied is False:
            raise ValueError("SyncReplicasOptimizer.apply_gradient should be called before "
                             "using the hook.")
        self._ready_for_local_init_op = opt.ready_for_local_init_op
        if self._is_chief:
            self._local_init_op = opt.chief_init_op
            self._q_runner = opt.get_chief_queue_runner()
            self._init_tokens_op = opt.get_init_tokens_op(self._num_tokens)
        else:
            self._local_init_op = opt.local_step_init_op
            self._q_runner = None
            self._init_tokens_op = None

    def after_create_session(self, session, coord):
        local_init_success, msg = session_manager._ready(
            self._ready_for_local_init_op, session,
            "Model is not ready for SyncReplicasOptimizer local init.")
        if not local_init_success:
            raise RuntimeError("Init operations did not make model ready for "
                               "SyncReplicasOptimizer local_init. Init op: %s, error: %s"
                               % (self._local_init_op.name, msg))
        session.run(self._local_init_op)
        if self._init_tokens_op is not None:
            session.run(self._init_tokens_op)
        if self._q_runner is not None:
            self._q_runner.create_threads(session, coord=coord, daemon=True, start=True)
