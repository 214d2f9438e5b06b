"""``pad_sequences``: lists of sequences as one [samples, maxlen] array."""
import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pads (with ``value``) and truncates every sequence to ``maxlen`` (the longest one by
    default), at the start ('pre') or the end ('post')."""
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths = []
    sample_shape = ()
    for item in sequences:
        if not hasattr(item, "__len__"):
            raise ValueError(f"`sequences` must be a list of iterables. Found non-iterable: "
                             f"{item}")
        lengths.append(len(item))
        if len(item) and not sample_shape:
            sample_shape = np.asarray(item).shape[1:]
    if maxlen is None:
        maxlen = max(lengths) if lengths else 0
    result = np.full((len(sequences), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for index, item in enumerate(sequences):
        if not len(item):
            continue
        if truncating == "pre":
            kept = item[-maxlen:] if maxlen else []
        elif truncating == "post":
            kept = item[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position "
                             f"{index} is different from expected shape {sample_shape}")
        if padding == "post":
            result[index, :len(kept)] = kept
        elif padding == "pre":
            result[index, maxlen - len(kept):] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return result


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.preprocessing.sequence' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.keras.preprocessing.sequence.{name} yet")
