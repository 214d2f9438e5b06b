"""``VocabularyProcessor``, ``ByteProcessor`` and ``tokenizer``: TF 1.15's text preprocessors."""
import io
import pickle
import re

import numpy as np

from tfcompat.contrib.learn.preprocessing.categorical_vocabulary import CategoricalVocabulary
from tfcompat.lib.io import file_io

TOKENIZER_RE = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+(?=[A-Z])|[\'\w\-]+", re.UNICODE)

_TF_PREPROCESSING = "tensorflow.contrib.learn.python.learn.preprocessing."


def tokenizer(iterator):
    """Yields the list of tokens of each string (TF 1.15's TOKENIZER_RE: acronyms, CamelCase
    parts, then runs of word characters, apostrophes and hyphens)."""
    for value in iterator:
        yield TOKENIZER_RE.findall(value)


class ByteProcessor:
    """Maps documents to uint8 arrays of their UTF-8 bytes, cut or zero-padded to
    ``max_document_length``, as in TF 1.15."""

    def __init__(self, max_document_length):
        self.max_document_length = max_document_length

    def fit(self, x):
        """Nothing to learn: returns self."""
        del x
        return self

    def fit_transform(self, x):
        """Same as ``transform``."""
        return self.transform(x)

    def reverse(self, x):
        """Yields each byte array decoded back to text (trailing zeros dropped; '' when the
        bytes are not valid UTF-8)."""
        for data in x:
            document = np.trim_zeros(np.asarray(data).astype(np.int8), trim="b").tobytes()
            try:
                yield document.decode("utf-8")
            except UnicodeDecodeError:
                yield ""

    def transform(self, x):
        """Yields one uint8 array of length ``max_document_length`` per document."""
        for document in x:
            if isinstance(document, str):
                document = document.encode("utf-8")
            data = np.frombuffer(memoryview(document)[:self.max_document_length], np.uint8)
            yield np.pad(data, (0, self.max_document_length - len(data)), "constant")


class VocabularyProcessor:
    """Maps documents to int64 word-id arrays of ``max_document_length`` (cut or zero-padded).

    As in TF 1.15: ``fit`` adds tokens to a ``CategoricalVocabulary`` in order of first
    appearance (id 0 is <UNK>), trims it to words seen more than ``min_frequency`` times when
    ``min_frequency > 0``, then freezes it; ``save`` pickles the whole processor.
    """

    def __init__(self, max_document_length, min_frequency=0, vocabulary=None,
                 tokenizer_fn=None):
        self.max_document_length = max_document_length
        self.min_frequency = min_frequency
        self.vocabulary_ = vocabulary if vocabulary else CategoricalVocabulary()
        self._tokenizer = tokenizer_fn if tokenizer_fn else tokenizer

    def fit(self, raw_documents, unused_y=None):
        """Builds the vocabulary from an iterable of strings; returns self."""
        for tokens in self._tokenizer(raw_documents):
            for token in tokens:
                self.vocabulary_.add(token)
        if self.min_frequency > 0:
            self.vocabulary_.trim(self.min_frequency)
        self.vocabulary_.freeze()
        return self

    def fit_transform(self, raw_documents, unused_y=None):
        """``fit`` then ``transform`` (``raw_documents`` must be iterable twice)."""
        self.fit(raw_documents)
        return self.transform(raw_documents)

    def transform(self, raw_documents):
        """Yields one int64 array of word ids per document."""
        for tokens in self._tokenizer(raw_documents):
            word_ids = np.zeros(self.max_document_length, np.int64)
            for position, token in enumerate(tokens[:self.max_document_length]):
                word_ids[position] = self.vocabulary_.get(token)
            yield word_ids

    def reverse(self, documents):
        """Yields each id sequence as its words joined by spaces (padding reads '<UNK>')."""
        for ids in documents:
            yield " ".join(self.vocabulary_.reverse(class_id) for class_id in ids)

    def save(self, filename):
        """Pickles this processor to ``filename``."""
        with file_io.GFile(filename, "wb") as f:
            f.write(pickle.dumps(self))

    @classmethod
    def restore(cls, filename):
        """Unpickles a processor saved by ``save`` (by tfcompat or by TF 1.x itself)."""
        with file_io.GFile(filename, "rb") as f:
            return _CompatUnpickler(io.BytesIO(f.read())).load()


class _CompatUnpickler(pickle.Unpickler):
    """Reads TF 1.x's pickles: its preprocessing classes resolve to tfcompat's."""

    def find_class(self, module, name):
        if module.startswith(_TF_PREPROCESSING):
            module = "tfcompat.contrib.learn.preprocessing." + module[len(_TF_PREPROCESSING):]
        return super().find_class(module, name)
