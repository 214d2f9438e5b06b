"""``CategoricalProcessor``: TF 1.15's per-column category -> id transformer."""
import math

import numpy as np

from tfcompat.contrib.learn.preprocessing.categorical_vocabulary import CategoricalVocabulary


def _is_nan(value):
    return isinstance(value, float) and math.isnan(value)


class CategoricalProcessor:
    """Maps each column of rows of categories to int64 ids, one vocabulary per column (or one
    shared with ``share=True``); NaN values map to the unknown id 0, as in TF 1.15."""

    def __init__(self, min_frequency=0, share=False, vocabularies=None):
        self.min_frequency = min_frequency
        self.share = share
        self.vocabularies_ = vocabularies

    def freeze(self, freeze=True):
        """Freezes (or unfreezes) every column's vocabulary."""
        for vocab in self.vocabularies_:
            vocab.freeze(freeze)

    def _make_vocabularies(self, row):
        if self.share:
            shared = CategoricalVocabulary()
            return [shared for _ in row]
        return [CategoricalVocabulary() for _ in row]

    def fit(self, x, unused_y=None):
        """Counts every non-NaN category of ``x`` (rows of columns), trims, freezes."""
        for row in x:
            if self.vocabularies_ is None:
                self.vocabularies_ = self._make_vocabularies(row)
            for column, value in enumerate(row):
                if not _is_nan(value):
                    self.vocabularies_[column].add(value)
        if self.min_frequency > 0:
            for vocab in self.vocabularies_:
                vocab.trim(self.min_frequency)
        self.freeze()
        return self

    def fit_transform(self, x, unused_y=None):
        """``fit`` then ``transform``."""
        self.fit(x)
        return self.transform(x)

    def transform(self, x):
        """Yields one int64 id array per row of ``x`` (0 for unknown or NaN categories)."""
        self.freeze()
        for row in x:
            yield np.array([0 if _is_nan(value) else self.vocabularies_[column].get(value)
                            for column, value in enumerate(row)], dtype=np.int64)
