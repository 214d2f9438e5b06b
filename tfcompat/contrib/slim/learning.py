"""``slim.learning`` (TF 1.15 contrib/slim/python/slim/learning.py): ``create_train_op`` and
the Supervisor-driven ``train`` loop of the slim training scripts.

``create_train_op(total_loss, optimizer, ...)`` makes the loss wait for every op of
``update_ops`` (default: GraphKeys.UPDATE_OPS, e.g. batch norm's moving averages), computes
the gradients of ``variables_to_train`` (default: all trainable variables), scales them by
``gradient_multipliers`` (scope "multiply_grads"), clips each by ``clip_gradient_norm``
(scope "clip_grads"), optionally adds histogram summaries, applies them (incrementing
``global_step``) and returns the loss after the update ("train_op/control_dependency",
checked for NaN/Inf), added to GraphKeys.TRAIN_OP.

``train(train_op, logdir, ...)`` builds the init ops (scope "init_ops"), the stop and log
conditions (scope "train_step": global_step >= number_of_steps, step % log_every_n_steps == 0)
and a ``tf.train.Supervisor`` (restoring the newest checkpoint of ``logdir`` or initialising
and calling ``init_fn``), runs ``train_step_fn`` until a stop, saves
``logdir/model.ckpt-<step>`` and returns the last loss. Tracing (``trace_every_n_steps``)
and ``sync_optimizer`` are not supported yet (ValueError).
"""
import sys
import time

from tfcompat import logging
from tfcompat.framework import errors, ops
from tfcompat.ops import check_ops, clip_ops, control_flow_ops, math_ops
from tfcompat.ops import array_ops
from tfcompat.ops.indexed_slices import IndexedSlices
from tfcompat.ops import variables as variables_lib
from tfcompat.train import training_util
from tfcompat.train.optimizer import Optimizer
from tfcompat.train.saver import Saver
from tfcompat.train.supervisor import Supervisor

__all__ = ["add_gradients_summaries", "clip_gradient_norms", "multiply_gradients",
           "create_train_op", "train_step", "train"]

_USE_DEFAULT = 0
_USE_GLOBAL_STEP = 0


def _with_dependencies(dependencies, output_tensor):
    with ops.name_scope(None, "control_dependency", list(dependencies) + [output_tensor]) as sc:
        with ops.control_dependencies(dependencies):
            return array_ops.identity(output_tensor, name=sc)


def _scaled(grad, function):
    """``function`` applied to a dense gradient or to an IndexedSlices' values."""
    if isinstance(grad, IndexedSlices):
        return IndexedSlices(function(grad.values), grad.indices, grad.dense_shape)
    return function(grad)


def clip_gradient_norms(gradients_to_variables, max_norm):
    """Each gradient of the (gradient, variable) pairs clipped to L2 norm ``max_norm``."""
    return [(None if grad is None else
             _scaled(grad, lambda g: clip_ops.clip_by_norm(g, max_norm)), var)
            for grad, var in gradients_to_variables]


def multiply_gradients(grads_and_vars, gradient_multipliers):
    """The gradients of the variables named in ``gradient_multipliers`` (keys: variables
    or their op names) multiplied by their factors."""
    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    if not isinstance(gradient_multipliers, dict):
        raise ValueError("`gradient_multipliers` must be a dict.")
    multiplied = []
    for grad, var in grads_and_vars:
        key = var if var in gradient_multipliers else var.op.name
        if key in gradient_multipliers:
            if grad is None:
                raise ValueError("Requested multiple of `None` gradient.")
            multiplier = gradient_multipliers[key]
            if not isinstance(multiplier, ops.Tensor):
                multiplier = ops.convert_to_tensor(multiplier, dtype=grad.dtype)
            grad = _scaled(grad, lambda g, m=multiplier: g * m)
        multiplied.append((grad, var))
    return multiplied


def add_gradients_summaries(grads_and_vars):
    """A histogram of each gradient ('<var>/gradient') and of its global norm
    ('<var>/gradient_norm'); returns the summaries."""
    from tfcompat import summary
    summaries = []
    for grad, var in grads_and_vars:
        if grad is None:
            logging.info("Var %s has no gradient", var.op.name)
            continue
        values = grad.values if isinstance(grad, IndexedSlices) else grad
        summaries.append(summary.histogram(var.op.name + "/gradient", values))
        summaries.append(summary.scalar(var.op.name + "/gradient_norm",
                                        clip_ops.global_norm([values])))
    return summaries


def _loss_after_updates(total_loss, update_ops):
    global_update_ops = set(ops.get_collection(ops.GraphKeys.UPDATE_OPS))
    update_ops = global_update_ops if update_ops is None else set(update_ops)
    if not global_update_ops.issubset(update_ops):
        logging.warning("update_ops in create_train_op does not contain all the update_ops "
                        "in GraphKeys.UPDATE_OPS")
    if not update_ops:
        return total_loss
    with ops.control_dependencies(sorted(update_ops, key=lambda op: op.name)):
        barrier = control_flow_ops.no_op(name="update_barrier")
    return _with_dependencies([barrier], total_loss)


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, clip_gradient_norm=0, summarize_gradients=False,
                    gate_gradients=Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, gradient_multipliers=None,
                    check_numerics=True):
    """The loss after one optimizer update of ``variables_to_train`` (see the module
    docstring)."""
    if global_step is _USE_GLOBAL_STEP:
        global_step = training_util.get_or_create_global_step()
    total_loss = _loss_after_updates(total_loss, update_ops)
    if variables_to_train is None:
        variables_to_train = variables_lib.trainable_variables()
    if not variables_to_train:
        raise ValueError("No variables to train: variables_to_train is empty.")
    grads = optimizer.compute_gradients(
        total_loss, variables_to_train, gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops)
    if gradient_multipliers:
        with ops.name_scope("multiply_grads"):
            grads = multiply_gradients(grads, gradient_multipliers)
    if clip_gradient_norm > 0:
        with ops.name_scope("clip_grads"):
            grads = clip_gradient_norms(grads, clip_gradient_norm)
    if summarize_gradients:
        with ops.name_scope("summarize_grads"):
            add_gradients_summaries(grads)
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)
    with ops.name_scope("train_op"):
        if check_numerics:
            total_loss = check_ops.check_numerics(total_loss, "LossTensor is inf or nan")
        train_op = _with_dependencies([grad_updates], total_loss)
    train_ops = ops.get_collection_ref(ops.GraphKeys.TRAIN_OP)
    if train_op not in train_ops:
        train_ops.append(train_op)
    return train_op


def train_step(sess, train_op, global_step, train_step_kwargs):
    """Runs ``train_op`` and the global step once, logs the loss when ``should_log`` holds;
    returns (loss, whether ``should_stop`` holds)."""
    start_time = time.time()
    total_loss, np_global_step = sess.run([train_op, global_step])
    time_elapsed = time.time() - start_time
    if "should_log" in train_step_kwargs and sess.run(train_step_kwargs["should_log"]):
        logging.info("global step %d: loss = %.4f (%.3f sec/step)", np_global_step,
                     total_loss, time_elapsed)
    should_stop = False
    if "should_stop" in train_step_kwargs:
        should_stop = bool(sess.run(train_step_kwargs["should_stop"]))
    return total_loss, should_stop


def _check_train_arguments(train_op, logdir, summary_op, saver, number_of_steps,
                           sync_optimizer, trace_every_n_steps):
    if train_op is None:
        raise ValueError("train_op cannot be None.")
    if logdir is None:
        if summary_op != _USE_DEFAULT:
            raise ValueError("Cannot provide summary_op because logdir=None")
        if saver is not None:
            raise ValueError("Cannot provide saver because logdir=None")
    if number_of_steps is not None and number_of_steps <= 0:
        raise ValueError("`number_of_steps` must be either None or a positive number.")
    if sync_optimizer is not None or trace_every_n_steps is not None:
        raise ValueError("slim.learning.train: tfcompat does not support `sync_optimizer` "
                         "or `trace_every_n_steps` yet")


def _default_init_ops(init_op, ready_op, local_init_op):
    from tfcompat.ops.lookup_ops import tables_initializer
    with ops.name_scope("init_ops"):
        if init_op == _USE_DEFAULT:
            init_op = variables_lib.global_variables_initializer()
        if ready_op == _USE_DEFAULT:
            ready_op = variables_lib.report_uninitialized_variables()
        if local_init_op == _USE_DEFAULT:
            local_init_op = control_flow_ops.group(
                variables_lib.local_variables_initializer(), tables_initializer())
    return init_op, ready_op, local_init_op


def _default_train_step_kwargs(global_step, number_of_steps, log_every_n_steps):
    with ops.name_scope("train_step"):
        if number_of_steps:
            should_stop = math_ops.greater_equal(global_step, number_of_steps)
        else:
            should_stop = ops.convert_to_tensor(False)
        kwargs = {"should_stop": should_stop}
        if log_every_n_steps > 0:
            kwargs["should_log"] = math_ops.equal(
                math_ops.mod(global_step, log_every_n_steps), 0)
    return kwargs


def _wait_for_step(sess, global_step, step):
    while training_util.global_step(sess, global_step) < step:
        time.sleep(1.0)


def _run_loop(sv, sess, train_op, global_step, train_step_fn, train_step_kwargs):
    total_loss = None
    try:
        while not sv.should_stop():
            total_loss, should_stop = train_step_fn(sess, train_op, global_step,
                                                    train_step_kwargs)
            if should_stop:
                logging.info("Stopping Training.")
                sv.request_stop()
                break
    except errors.OutOfRangeError as e:
        logging.info("Caught OutOfRangeError. Stopping Training. %s", e)
    return total_loss


def train(train_op, logdir, train_step_fn=train_step, train_step_kwargs=_USE_DEFAULT,
          log_every_n_steps=1, graph=None, master="", is_chief=True, global_step=None,
          number_of_steps=None, init_op=_USE_DEFAULT, init_feed_dict=None,
          local_init_op=_USE_DEFAULT, init_fn=None, ready_op=_USE_DEFAULT,
          summary_op=_USE_DEFAULT, save_summaries_secs=600, summary_writer=_USE_DEFAULT,
          startup_delay_steps=0, saver=None, save_interval_secs=600, sync_optimizer=None,
          session_config=None, session_wrapper=None, trace_every_n_steps=None,
          ignore_live_threads=False):
    """Runs the slim training loop (see the module docstring); returns the last loss."""
    _check_train_arguments(train_op, logdir, summary_op, saver, number_of_steps,
                           sync_optimizer, trace_every_n_steps)
    graph = graph or ops.get_default_graph()
    with graph.as_default():
        if global_step is None:
            global_step = training_util.get_or_create_global_step()
        saver = saver or Saver()
        init_op, ready_op, local_init_op = _default_init_ops(init_op, ready_op,
                                                             local_init_op)
        if summary_op == _USE_DEFAULT:
            from tfcompat import summary
            summary_op = summary.merge_all()
        if summary_writer == _USE_DEFAULT:
            summary_writer = Supervisor.USE_DEFAULT
        if train_step_kwargs == _USE_DEFAULT:
            train_step_kwargs = _default_train_step_kwargs(global_step, number_of_steps,
                                                           log_every_n_steps)
    sv = Supervisor(graph=graph, is_chief=is_chief, logdir=logdir, init_op=init_op,
                    init_feed_dict=init_feed_dict, local_init_op=local_init_op,
                    ready_for_local_init_op=None, ready_op=ready_op, summary_op=summary_op,
                    summary_writer=summary_writer, global_step=global_step, saver=saver,
                    save_summaries_secs=save_summaries_secs,
                    save_model_secs=save_interval_secs, init_fn=init_fn)
    if summary_writer is not None:
        train_step_kwargs["summary_writer"] = sv.summary_writer
    with sv.managed_session(master, start_standard_services=False,
                            config=session_config) as sess:
        logging.info("Starting Session.")
        if session_wrapper is not None:
            sess = session_wrapper(sess)
        if is_chief:
            if logdir:
                sv.start_standard_services(sess)
        elif startup_delay_steps > 0:
            _wait_for_step(sess, global_step,
                           min(startup_delay_steps, number_of_steps or sys.maxsize))
        threads = sv.start_queue_runners(sess)
        logging.info("Starting Queues.")
        total_loss = _run_loop(sv, sess, train_op, global_step, train_step_fn,
                               train_step_kwargs)
        if logdir and sv.is_chief:
            logging.info("Finished training! Saving model to disk.")
            sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
            sv.stop(threads, close_summary_writer=True,
                    ignore_live_threads=ignore_live_threads)
    return total_loss
