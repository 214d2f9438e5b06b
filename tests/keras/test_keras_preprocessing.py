"""tf.keras.preprocessing text and sequence helpers against TF 2.21's tf_keras
(tests/golden/keras_text_goldens.json, written by tests/golden/make_keras_goldens.py)."""
import json
import os

import numpy as np
import pytest

import tfcompat as tf

text = tf.keras.preprocessing.text
sequence = tf.keras.preprocessing.sequence
with open(os.path.join(os.path.dirname(__file__), "..", "golden",
                       "keras_text_goldens.json")) as f:
    GOLDEN = json.load(f)
TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "Cats and dogs; the end",
         "A\tTAB-separated line\nwith a newline"]
SETTINGS = {"default": {}, "oov": {"num_words": 6, "oov_token": "<unk>"},
            "chars": {"char_level": True, "lower": False}}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_tokenizer_matches_keras(name):
    tokenizer = text.Tokenizer(**SETTINGS[name])
    tokenizer.fit_on_texts(TEXTS)
    expected = GOLDEN[name]
    assert tokenizer.word_index == expected["word_index"]
    assert list(tokenizer.word_index) == list(expected["word_index"])
    sequences = tokenizer.texts_to_sequences(TEXTS + ["an unseen cat"])
    assert sequences == expected["sequences"]
    assert tokenizer.sequences_to_texts(sequences) == expected["texts"]
    for mode, matrix in expected["matrices"].items():
        np.testing.assert_allclose(tokenizer.texts_to_matrix(TEXTS, mode), matrix, rtol=1e-12)


def test_pad_sequences_and_word_splitting_match_keras():
    sequences = GOLDEN["default"]["sequences"]
    for key, expected in GOLDEN["padded"].items():
        padding, truncating = key.split("-")
        padded = sequence.pad_sequences(sequences, maxlen=4, padding=padding,
                                        truncating=truncating, value=-1)
        assert padded.dtype == np.int32 and padded.tolist() == expected
    assert sequence.pad_sequences(sequences).tolist() == GOLDEN["padded_default"]
    assert text.text_to_word_sequence(TEXTS[3]) == GOLDEN["words"]
    with pytest.raises(ValueError, match='Padding type "middle" not understood'):
        sequence.pad_sequences([[1]], padding="middle")
    assert text.hashing_trick("a b a", 10, hash_function="md5")[0] == \
        text.hashing_trick("a", 10, hash_function="md5")[0]
    with pytest.raises(ValueError, match="fit on some text data first"):
        text.Tokenizer().texts_to_matrix(["x"])
