"""Lookup tables: TF's op layout and names, initialisation rules and errors, vocabulary
tables with out-of-vocabulary buckets (ids as TensorFlow computes them), text-file
initializers, mutable tables, and tables living per session."""
import numpy as np
import pytest

import tfcompat as tf


def test_static_hash_table_as_tf_builds_and_runs_it():
    with tf.Graph().as_default() as graph:
        init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [0, 1, 2],
                                                   value_dtype=tf.int64)
        table = tf.lookup.StaticHashTable(init, -1)
        found = table.lookup(tf.constant(["a", "x", "c"]))
        size = table.size()
        assert (table.resource_handle.op.type, table.resource_handle.op.name) == (
            "HashTableV2", "hash_table")
        assert found.op.name == "hash_table_Lookup/LookupTableFindV2"
        assert size.op.name == "hash_table_Size/LookupTableSizeV2"
        assert graph.get_collection(tf.GraphKeys.TABLE_INITIALIZERS) == [table.initializer]
        assert table.initializer.name == "key_value_init"
        init_all = tf.tables_initializer()
        assert init_all.name == "init_all_tables"
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized"):
                sess.run(found)
            sess.run(init_all)
            sess.run(init_all)  # the same data again: allowed, as in TF
            values, count = sess.run([found, size])
        with tf.Session() as sess:  # a table belongs to its session
            with pytest.raises(tf.errors.FailedPreconditionError):
                sess.run(found)
    assert values.tolist() == [0, -1, 2] and values.dtype == np.int64 and count == 3


def test_reinitialising_with_other_data_fails_and_dtypes_are_checked():
    with tf.Graph().as_default():
        keys = tf.placeholder(tf.string, [None])
        init = tf.lookup.KeyValueTensorInitializer(keys, tf.constant([0, 1], tf.int64))
        table = tf.lookup.StaticHashTable(init, -1)
        with tf.Session() as sess:
            sess.run(table.initializer, {keys: ["a", "b"]})
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="Table was already initialized with different data."):
                sess.run(table.initializer, {keys: ["a", "c"]})
        with pytest.raises(TypeError, match="Dtype of argument `keys` must be"):
            table.lookup(tf.constant([1, 2], tf.int64))


def test_vocabulary_tables_hash_unknown_keys_as_tensorflow():
    with tf.Graph().as_default():
        vocabulary = tf.lookup.StaticVocabularyTable(
            tf.lookup.KeyValueTensorInitializer(["a", "b"], [0, 1], value_dtype=tf.int64), 3)
        ids = vocabulary.lookup(tf.constant(["a", "zz", "b", "q"]))
        words = tf.contrib.lookup.index_table_from_tensor(["emerson", "lake", "palmer"],
                                                          default_value=7)
        word_ids = words.lookup(tf.constant(["lake", "tarkus"]))
        names = tf.contrib.lookup.index_to_string_table_from_tensor(["x", "y"])
        spelled = names.lookup(tf.constant([1, 5], tf.int64))
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            got = sess.run([ids, vocabulary.size(), word_ids, spelled])
    # TensorFlow 2.21 (compat.v1) gives [0, 3, 1, 4] for these keys (Fingerprint64 buckets).
    assert got[0].tolist() == [0, 3, 1, 4] and got[1] == 5
    assert got[2].tolist() == [1, 7] and got[3].tolist() == [b"y", b"UNK"]


def test_text_file_tables(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("apple\t10\nbanana\t20\ncherry\t30\n")
    with tf.Graph().as_default():
        by_line = tf.contrib.lookup.index_table_from_file(str(vocab), delimiter="\t",
                                                         key_column_index=0)
        by_column = tf.lookup.StaticHashTable(
            tf.lookup.TextFileInitializer(str(vocab), tf.string, 0, tf.int64, 1,
                                          delimiter="\t"), -1)
        lines = tf.contrib.lookup.index_to_string_table_from_file(str(vocab), vocab_size=2)
        keys = tf.constant(["cherry", "kiwi", "apple"])
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            got = sess.run([by_line.lookup(keys), by_column.lookup(keys),
                            lines.lookup(tf.constant([0, 2], tf.int64))])
        missing = tf.contrib.lookup.index_table_from_file(str(tmp_path / "none.txt"))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.NotFoundError):
                sess.run(missing.initializer)
    assert got[0].tolist() == [2, -1, 0] and got[1].tolist() == [30, -1, 10]
    assert got[2].tolist() == [b"apple\t10", b"UNK"]
    with pytest.raises(ValueError, match="Signature mismatch"):
        tf.lookup.TextFileInitializer("v", tf.string, -2, tf.int64, -2)


def test_mutable_hash_table_insert_remove_export():
    with tf.Graph().as_default():
        table = tf.contrib.lookup.MutableHashTable(tf.string, tf.float32, default_value=-1.0)
        insert = table.insert(["x", "y"], [1.5, 2.5])
        remove = table.remove(["x"])
        found = table.lookup(["x", "y", "z"])
        keys, values = table.export()
        with tf.Session() as sess:
            assert sess.run(table.size()) == 0
            sess.run(insert)
            before = sess.run(found)
            sess.run(remove)
            after, exported = sess.run(found), sess.run([keys, values])
    assert before.tolist() == [1.5, 2.5, -1.0] and after.tolist() == [-1.0, 2.5, -1.0]
    assert exported[0].tolist() == [b"y"] and exported[1].tolist() == [2.5]
