"""``tf.contrib`` (the parts the book uses): ``tf.contrib.layers`` and
``tf.contrib.framework``, imported on first attribute access."""
import importlib as _importlib

_SUBMODULES = {"layers", "framework", "rnn", "legacy_seq2seq"}
_SUBMODULES |= {"learn"}  # issue 19: tf.contrib.learn


def __getattr__(name):
    if name in _SUBMODULES:
        module = _importlib.import_module(f"tfcompat.contrib.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'tensorflow.contrib' has no attribute '{name}': tfcompat does "
                         f"not implement tf.contrib.{name} yet")


_SUBMODULES.add("training")  # ps strategies of replica_device_setter (contrib/training)
_SUBMODULES.add("lookup")  # tables: tf.contrib.lookup
_SUBMODULES.add("distributions")  # the core classes of tf.distributions
_SUBMODULES.add("estimator")  # tf.contrib.estimator heads (h-misc)
_SUBMODULES.add("summary")  # tf.contrib.summary summary writers (h-misc)
_SUBMODULES.add("seq2seq")  # tf.contrib.seq2seq decoders, attention, beam search
_SUBMODULES.add("factorization")  # KMeans of tf.contrib.factorization (h-kmeans)
