"""tf.contrib.learn.preprocessing: TF 1.15's tokenizer regex, VocabularyProcessor id
assignment (0 is <UNK>, first-appearance order, min_frequency trimming), save/restore
(including TF 1.x's own pickles), ByteProcessor, CategoricalProcessor, CategoricalVocabulary."""
import pickle

import numpy as np
import pytest

import tfcompat as tf

preprocessing = tf.contrib.learn.preprocessing


def test_tokenizer_splits_acronyms_camel_case_and_keeps_apostrophes_hyphens():
    tokens = list(preprocessing.tokenizer(["HTMLParser isGood, don't e-mail CamelCase!",
                                           "a  b"]))
    assert tokens == [["HTML", "Parser", "isGood", "don't", "e-mail", "Camel", "Case"],
                      ["a", "b"]]


def test_vocabulary_processor_fit_transform_pads_and_truncates():
    processor = preprocessing.VocabularyProcessor(4)
    ids = np.array(list(processor.fit_transform(["I like pizza", "I like pasta a lot"])))
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [[1, 2, 3, 0], [1, 2, 4, 5]])
    assert len(processor.vocabulary_) == 7  # <UNK> + 6 words, "lot" counted past the cut
    unseen = list(processor.transform(["pasta with pizza"]))
    np.testing.assert_array_equal(unseen, [[4, 0, 3, 0]])
    assert list(processor.reverse([[1, 2, 3, 0]])) == ["I like pizza <UNK>"]


def test_vocabulary_processor_min_frequency_renumbers_by_frequency_then_name():
    processor = preprocessing.VocabularyProcessor(3, min_frequency=1)
    processor.fit(["b a c", "c b d", "c"])
    vocab = processor.vocabulary_
    assert [vocab.get(word) for word in ["c", "b", "a", "d"]] == [1, 2, 0, 0]
    assert len(vocab) == 3
    np.testing.assert_array_equal(list(processor.transform(["a b c"])), [[0, 2, 1]])


def test_vocabulary_processor_custom_tokenizer_and_given_vocabulary():
    vocab = preprocessing.CategoricalVocabulary()
    vocab.get("x")
    processor = preprocessing.VocabularyProcessor(
        3, vocabulary=vocab, tokenizer_fn=lambda docs: (list(doc) for doc in docs))
    np.testing.assert_array_equal(list(processor.fit_transform(["yx"])), [[2, 1, 0]])


def test_vocabulary_processor_save_restore_round_trip(tmp_path):
    processor = preprocessing.VocabularyProcessor(5, min_frequency=0)
    processor.fit(["the cat sat", "the dog"])
    path = str(tmp_path / "vocab")
    processor.save(path)
    restored = preprocessing.VocabularyProcessor.restore(path)
    assert restored.max_document_length == 5
    np.testing.assert_array_equal(list(restored.transform(["dog sat the bird"])),
                                  [[4, 3, 1, 0, 0]])


def test_restore_reads_tf_pickles(tmp_path):
    processor = preprocessing.VocabularyProcessor(2)
    processor.fit(["hello world"])
    ours = pickle.dumps(processor, protocol=0)
    tf_pickle = ours.replace(b"tfcompat.contrib.learn.preprocessing.",
                             b"tensorflow.contrib.learn.python.learn.preprocessing.")
    assert b"tensorflow.contrib" in tf_pickle
    path = tmp_path / "tf_vocab"
    path.write_bytes(tf_pickle)
    restored = preprocessing.VocabularyProcessor.restore(str(path))
    assert isinstance(restored, preprocessing.VocabularyProcessor)
    np.testing.assert_array_equal(list(restored.transform(["world hello"])), [[2, 1]])


def test_categorical_vocabulary_freeze_trim_reverse():
    vocab = preprocessing.CategoricalVocabulary()
    for word, count in [("b", 2), ("a", 2), ("c", 5), ("d", 1)]:
        vocab.add(word, count)
    vocab.add("<UNK>")
    assert vocab.get("d") == 4 and vocab.reverse(4) == "d"
    vocab.trim(1, max_frequency=5)
    assert [vocab.get(word) for word in "abcd"] == [1, 2, 3, 4]  # unfrozen: c, d re-added
    vocab.freeze()
    assert vocab.get("zzz") == 0
    no_reverse = preprocessing.CategoricalVocabulary(support_reverse=False)
    with pytest.raises(ValueError, match="support_reverse"):
        no_reverse.reverse(0)


def test_byte_processor_round_trip():
    processor = preprocessing.ByteProcessor(4)
    data = list(processor.fit_transform(["ab", "héllo"]))
    np.testing.assert_array_equal(data, [[97, 98, 0, 0], [104, 0xC3, 0xA9, 108]])
    assert data[0].dtype == np.uint8
    assert list(processor.reverse(data)) == ["ab", "hél"]
    assert list(processor.reverse([np.array([0xC3, 0, 0, 0], np.uint8)])) == [""]


def test_categorical_processor_per_column_and_shared_with_nan():
    rows = [["a", "x"], ["b", float("nan")], ["a", "y"]]
    per_column = preprocessing.CategoricalProcessor()
    np.testing.assert_array_equal(list(per_column.fit_transform(rows)),
                                  [[1, 1], [2, 0], [1, 2]])
    np.testing.assert_array_equal(list(per_column.transform([["z", "y"]])), [[0, 2]])
    shared = preprocessing.CategoricalProcessor(share=True)
    np.testing.assert_array_equal(list(shared.fit_transform([["a", "b"], ["b", "c"]])),
                                  [[1, 2], [2, 3]])
    trimmed = preprocessing.CategoricalProcessor(min_frequency=1)
    np.testing.assert_array_equal(list(trimmed.fit_transform([["a"], ["b"], ["b"]])),
                                  [[0], [1], [1]])
