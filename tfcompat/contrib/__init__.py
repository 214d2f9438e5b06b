"""``tf.contrib``: the TF 1.15 contrib packages legacy code uses, each imported on first
attribute access; any other name raises the "not implemented yet" AttributeError."""
import importlib as _importlib

_SUBMODULES = {
    "layers", "framework", "rnn", "legacy_seq2seq", "learn", "training", "lookup",
    "distributions", "estimator", "summary", "seq2seq", "slim", "metrics", "losses", "crf",
    "opt", "image", "data", "keras", "factorization", "predictor", "deprecated", "stateless",
    "util", "nn", "tpu", "cluster_resolver",
    "signal",
}


def __getattr__(name):
    if name in _SUBMODULES:
        module = _importlib.import_module(f"tfcompat.contrib.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'tensorflow.contrib' has no attribute '{name}': tfcompat does "
                         f"not implement tf.contrib.{name} yet")
