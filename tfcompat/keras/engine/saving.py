"""Keras weight checkpoints in TF format.

TF 1.15's ``Model.save_weights`` (TF format) names each weight after the object path that
tracks it: the i-th layer having weights is "layer_with_weights-<i>" and its weight the
attribute holding it ("kernel", "bias", "moving_mean" ...), giving keys such as
"layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE" (nested models nest the paths).
tfcompat writes those keys with ``tf.train.Saver`` (no object-graph proto, so TF's own
``load_weights`` does not read the files back), and reads them from checkpoints written by
either. HDF5 files need h5py, which tfcompat does not depend on.
"""
import os

_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def require_h5py(what):
    try:
        import h5py  # noqa: F401
    except ImportError:
        raise ImportError(f"`{what}` requires h5py for HDF5 files: install h5py, or use the "
                          "TensorFlow checkpoint format (a path not ending in .h5).") from None
    raise NotImplementedError(f"tfcompat does not implement HDF5 `{what}` yet")


def checkpoint_keys(model, prefix=""):
    """{key: variable} for ``model``'s weights, named as TF's object-based checkpoints."""
    keys = {}
    index = 0
    for layer in model.layers:
        if not layer.weights:
            continue
        path = f"{prefix}layer_with_weights-{index}/"
        index += 1
        if hasattr(layer, "_nodes"):
            keys.update(checkpoint_keys(layer, path))
            continue
        for weight in layer.weights:
            attribute = weight.op.name.rsplit("/", 1)[-1]
            keys[path + attribute + _SUFFIX] = weight
    return keys


def _is_hdf5(filepath, save_format):
    if save_format is not None:
        if save_format not in ("h5", "tf"):
            raise ValueError(f"Unknown format \"{save_format}\". Was expecting one of "
                             "{\"tf\", \"h5\"}.")
        return save_format == "h5"
    return str(filepath).endswith((".h5", ".keras", ".hdf5"))


def _saver(model):
    from tfcompat.train.saver import Saver
    saver = getattr(model, "_weights_saver", None)
    if saver is None:
        saver = model._weights_saver = Saver(checkpoint_keys(model), max_to_keep=None)
    return saver


def save_weights(model, filepath, save_format=None):
    from tfcompat.keras import backend
    if _is_hdf5(filepath, save_format):
        require_h5py("save_weights")
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    _saver(model).save(backend.get_session(), str(filepath), write_meta_graph=False)


def load_weights(model, filepath, by_name=False):
    from tfcompat.keras import backend
    if _is_hdf5(filepath, None):
        require_h5py("load_weights")
    if by_name:
        raise NotImplementedError("tfcompat's load_weights(by_name=True) needs HDF5 files")
    _saver(model).restore(backend.get_session(), str(filepath))
