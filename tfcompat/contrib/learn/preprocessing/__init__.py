"""``tf.contrib.learn.preprocessing``: TF 1.15's text and categorical preprocessors
(VocabularyProcessor, ByteProcessor, CategoricalProcessor, CategoricalVocabulary, tokenizer)."""
from tfcompat.contrib.learn.preprocessing.categorical import CategoricalProcessor  # noqa: F401
from tfcompat.contrib.learn.preprocessing.categorical_vocabulary import (  # noqa: F401
    CategoricalVocabulary)
from tfcompat.contrib.learn.preprocessing.text import (  # noqa: F401
    ByteProcessor, VocabularyProcessor, tokenizer)
