"""``tf.estimator.RunConfig``: where and how often an Estimator saves (TF 1.x defaults)."""

_USE_DEFAULT = object()

_FIELDS = ("model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
           "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
           "keep_checkpoint_every_n_hours", "log_step_count_steps")


class RunConfig:
    """Checkpoints every 600 s unless ``save_checkpoints_steps`` is given, summaries every
    100 steps, 5 checkpoints kept, "loss = ..., step = ..." logged every 100 steps. Only one
    process: ``is_chief`` is True, ``num_ps_replicas`` 0, ``task_type`` "worker"."""

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=_USE_DEFAULT, save_checkpoints_secs=_USE_DEFAULT,
                 session_config=None, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100,
                 train_distribute=None, device_fn=None, protocol=None, eval_distribute=None,
                 experimental_distribute=None, experimental_max_worker_delay_secs=None,
                 session_creation_timeout_secs=7200):
        if (save_checkpoints_steps not in (_USE_DEFAULT, None)
                and save_checkpoints_secs not in (_USE_DEFAULT, None)):
            raise ValueError("Can not provide both save_checkpoints_steps and "
                             "save_checkpoints_secs.")
        if save_checkpoints_steps is _USE_DEFAULT and save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        elif save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None
        elif save_checkpoints_steps is _USE_DEFAULT:
            save_checkpoints_steps = None
        if train_distribute is not None or eval_distribute is not None:
            raise ValueError("tfcompat runs in one process: train_distribute and "
                             "eval_distribute must be None")
        self._values = dict(
            model_dir=model_dir, tf_random_seed=tf_random_seed,
            save_summary_steps=save_summary_steps,
            save_checkpoints_steps=save_checkpoints_steps,
            save_checkpoints_secs=save_checkpoints_secs, session_config=session_config,
            keep_checkpoint_max=keep_checkpoint_max,
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
            log_step_count_steps=log_step_count_steps)

    def __getattr__(self, name):
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"'RunConfig' object has no attribute '{name}'")

    def replace(self, **kwargs):
        """A copy with the given fields changed (ValueError for other names, as in TF)."""
        unknown = sorted(set(kwargs) - set(_FIELDS))
        if unknown:
            raise ValueError(f"Replacing {unknown} is not supported. Allowed properties are "
                             f"{sorted(_FIELDS)}.")
        values = dict(self._values, **kwargs)
        if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" not in kwargs:
            values["save_checkpoints_secs"] = None if kwargs["save_checkpoints_steps"] else 600
        if "save_checkpoints_secs" in kwargs and "save_checkpoints_steps" not in kwargs:
            values["save_checkpoints_steps"] = None
        return RunConfig(**values)

    is_chief = property(lambda self: True)
    num_ps_replicas = property(lambda self: 0)
    num_worker_replicas = property(lambda self: 1)
    task_type = property(lambda self: "worker")
    task_id = property(lambda self: 0)
    master = property(lambda self: "")
    cluster_spec = property(lambda self: None)
    train_distribute = property(lambda self: None)
    eval_distribute = property(lambda self: None)
    device_fn = property(lambda self: None)
