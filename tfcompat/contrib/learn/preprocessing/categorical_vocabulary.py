"""``CategoricalVocabulary``: TF 1.15's growing category -> id map with <UNK> at id 0."""
import collections


class CategoricalVocabulary:
    """Maps categories to ids in order of first appearance; id 0 is the unknown token.

    As in TF 1.15: once frozen, unseen categories map to 0; ``trim`` renumbers the kept
    categories 1..n by descending frequency, ties broken by ascending category.
    """

    def __init__(self, unknown_token="<UNK>", support_reverse=True):
        self._unknown_token = unknown_token
        self._mapping = {unknown_token: 0}
        self._support_reverse = support_reverse
        if support_reverse:
            self._reverse_mapping = [unknown_token]
        self._freq = collections.defaultdict(int)
        self._freeze = False

    def __len__(self):
        """Number of ids, the unknown token included."""
        return len(self._mapping)

    def freeze(self, freeze=True):
        """Stops (or, with ``freeze=False``, resumes) assigning ids to new categories."""
        self._freeze = freeze

    def get(self, category):
        """Returns the category's id, giving a new category the next id unless frozen."""
        if category not in self._mapping:
            if self._freeze:
                return 0
            self._mapping[category] = len(self._mapping)
            if self._support_reverse:
                self._reverse_mapping.append(category)
        return self._mapping[category]

    def add(self, category, count=1):
        """Adds ``count`` to the category's frequency (registering it); <UNK> is not counted."""
        if self.get(category) <= 0:
            return
        self._freq[category] += count

    def trim(self, min_frequency, max_frequency=-1):
        """Keeps categories seen more than ``min_frequency`` times (and fewer than a positive
        ``max_frequency``), renumbered 1..n by descending frequency then ascending category."""
        by_name = sorted(self._freq.items(), key=lambda item: (isinstance(item[0], str), item[0]))
        ranked = sorted(by_name, key=lambda item: item[1], reverse=True)
        self._mapping = {self._unknown_token: 0}
        if self._support_reverse:
            self._reverse_mapping = [self._unknown_token]
        kept = 0
        for category, count in ranked:
            if 0 < max_frequency <= count:
                continue
            if count <= min_frequency:
                break
            kept += 1
            self._mapping[category] = kept
            if self._support_reverse:
                self._reverse_mapping.append(category)
        # TF keeps the first ``kept`` ranked frequencies (even when max_frequency skipped some).
        self._freq = dict(ranked[:kept])

    def reverse(self, class_id):
        """Returns the category with id ``class_id``."""
        if not self._support_reverse:
            raise ValueError("This vocabulary wasn't initalized with support_reverse to "
                             "support reverse() function.")
        return self._reverse_mapping[class_id]
