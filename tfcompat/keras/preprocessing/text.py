"""Keras text preprocessing: ``text_to_word_sequence``, ``hashing_trick``, ``one_hot`` and
``Tokenizer`` (word index by decreasing frequency, ties in first-seen order; index 0 is
never a word; ``oov_token`` takes index 1)."""
import hashlib
from collections import OrderedDict, defaultdict

import numpy as np

_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def text_to_word_sequence(text, filters=_FILTERS, lower=True, split=" "):
    """The words of ``text``: lower-cased, each ``filters`` character made a separator."""
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [word for word in text.split(split) if word]


def hashing_trick(text, n, hash_function=None, filters=_FILTERS, lower=True, split=" "):
    """Each word's hash mod (n - 1), plus 1 (Python's ``hash`` unless ``hash_function``;
    "md5" gives stable indices)."""
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)
    return [(hash_function(word) % (n - 1) + 1)
            for word in text_to_word_sequence(text, filters=filters, lower=lower, split=split)]


def one_hot(text, n, filters=_FILTERS, lower=True, split=" "):
    """``hashing_trick`` with Python's ``hash``."""
    return hashing_trick(text, n, hash_function=hash, filters=filters, lower=lower,
                         split=split)


class Tokenizer:
    """``Tokenizer(num_words=None, filters=..., lower=True, split=' ', char_level=False,
    oov_token=None)``: ``fit_on_texts`` builds ``word_index``; only the ``num_words - 1``
    most frequent words are kept by the conversions."""

    def __init__(self, num_words=None, filters=_FILTERS, lower=True, split=" ",
                 char_level=False, oov_token=None, document_count=0, **kwargs):
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments: {kwargs}")
        self.word_counts = OrderedDict()
        self.word_docs = defaultdict(int)
        self.filters, self.split, self.lower = filters, split, lower
        self.num_words, self.document_count = num_words, document_count
        self.char_level, self.oov_token = char_level, oov_token
        self.index_docs = defaultdict(int)
        self.word_index, self.index_word = {}, {}

    def _words(self, text):
        if self.char_level or isinstance(text, list):
            if self.lower:
                return [t.lower() for t in text] if isinstance(text, list) else text.lower()
            return text
        return text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Counts the words of each text (a string, or a list of tokens)."""
        for text in texts:
            self.document_count += 1
            words = self._words(text)
            for word in words:
                self.word_counts[word] = self.word_counts.get(word, 0) + 1
            for word in set(words):
                self.word_docs[word] += 1
        ordered = sorted(self.word_counts.items(), key=lambda item: item[1], reverse=True)
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + [
            word for word, _ in ordered]
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1), strict=True))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in self.word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences):
        """Counts, for tf-idf, the documents each index occurs in."""
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def _keep(self, index):
        return not self.num_words or index < self.num_words

    def texts_to_sequences(self, texts):
        """Each text as its list of word indices (unknown or rare words: the OOV index, or
        dropped without ``oov_token``)."""
        oov_index = self.word_index.get(self.oov_token)
        sequences = []
        for text in texts:
            sequence = []
            for word in self._words(text):
                index = self.word_index.get(word)
                if index is not None and self._keep(index):
                    sequence.append(index)
                elif oov_index is not None:
                    sequence.append(oov_index)
            sequences.append(sequence)
        return sequences

    def sequences_to_texts(self, sequences):
        """Index lists back to space-joined words."""
        oov_index = self.word_index.get(self.oov_token)
        texts = []
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is not None and self._keep(index):
                    words.append(word)
                elif oov_index is not None:
                    words.append(self.index_word[oov_index])
            texts.append(" ".join(words))
        return texts

    def texts_to_matrix(self, texts, mode="binary"):
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """[len(sequences), num_words] matrix: 'binary', 'count', 'freq' or 'tfidf'."""
        num_words = self.num_words
        if not num_words:
            if not self.word_index:
                raise ValueError("Specify a dimension (`num_words` argument), or fit on some "
                                 "text data first.")
            num_words = len(self.word_index) + 1
        if mode not in ("binary", "count", "tfidf", "freq"):
            raise ValueError(f"Unknown vectorization mode: {mode}")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), num_words))
        for row, sequence in enumerate(sequences):
            counts = defaultdict(int)
            for index in sequence:
                if index < num_words:
                    counts[index] += 1
            for index, count in counts.items():
                matrix[row, index] = self._weight(mode, count, len(sequence), index)
        return matrix

    def _weight(self, mode, count, length, index):
        if mode == "count":
            return count
        if mode == "freq":
            return count / length
        if mode == "binary":
            return 1
        idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
        return (1 + np.log(count)) * idf


def __getattr__(name):
    raise AttributeError(f"module 'tensorflow.keras.preprocessing.text' has no attribute "
                         f"'{name}': tfcompat does not implement "
                         f"tf.keras.preprocessing.text.{name} yet")
