"""``tf.config.optimizer``: graph-optimiser switches, kept and reported (tfcompat's plans
always prune, fold and fuse; there is no XLA JIT to turn on)."""

_settings = {"jit": False, "options": {}}


def get_jit():
    return _settings["jit"]


def set_jit(enabled):
    _settings["jit"] = bool(enabled)


def get_experimental_options():
    return dict(_settings["options"])


def set_experimental_options(options):
    _settings["options"].update(options)
