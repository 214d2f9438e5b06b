"""``tf.data`` (TF 1.15): ``Dataset``, ``Iterator`` and ``tf.data.experimental``."""
from tfcompat.data import experimental  # noqa: F401
from tfcompat.data.dataset_ops import Dataset  # noqa: F401
from tfcompat.data.iterator_ops import (Iterator, get_output_classes,  # noqa: F401
                                        get_output_shapes, get_output_types,
                                        make_initializable_iterator, make_one_shot_iterator)
from tfcompat.data.readers import (FixedLengthRecordDataset, TextLineDataset,  # noqa: F401
                                   TFRecordDataset)
from tfcompat.data.options import Options  # noqa: F401
from tfcompat.data.experimental import (AUTOTUNE, INFINITE_CARDINALITY,  # noqa: F401
                                        UNKNOWN_CARDINALITY, get_single_element)


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow._api.v1.data' has no attribute '{name}': "
                         f"tfcompat does not implement tf.data.{name} yet")
