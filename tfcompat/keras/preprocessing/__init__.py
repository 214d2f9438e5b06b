"""``tf.keras.preprocessing`` (Keras-Preprocessing 1.1 as TF 1.15 bundles it): ``sequence``
(pad_sequences) and ``text`` (Tokenizer, text_to_word_sequence, one_hot, hashing_trick)."""
from tfcompat.keras.preprocessing import sequence, text

__all__ = ["sequence", "text"]


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.preprocessing' has no attribute '{name}': "
                         f"tfcompat does not implement tf.keras.preprocessing.{name} yet")
