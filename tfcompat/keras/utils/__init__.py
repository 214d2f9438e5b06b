"""``tf.keras.utils``: to_categorical, normalize, Progbar, Sequence, print_summary."""
from tfcompat.keras.utils.data_utils import Sequence
from tfcompat.keras.utils.generic_utils import Progbar
from tfcompat.keras.utils.layer_utils import print_summary
from tfcompat.keras.utils.np_utils import normalize, to_categorical

__all__ = ["Progbar", "Sequence", "print_summary", "normalize", "to_categorical"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.utils' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.utils.{name} yet")
