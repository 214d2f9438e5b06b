"""slim's input pipeline: Dataset + TFExampleDecoder (Tensor, Image, ItemHandlerCallback)
read from TFRecord files by DatasetDataProvider (parallel_reader), batched and prefetched
(prefetch_queue), run under slim.queues.QueueRunners."""
import io

import numpy as np
import pytest
from PIL import Image as PILImage

import tfcompat as tf

slim = tf.contrib.slim


def _png(array):
    buffer = io.BytesIO()
    PILImage.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def _write_records(path, count, offset):
    """Examples with a 4x4 RGB image (PNG, or raw bytes for odd labels), a label and a
    2-element float feature."""
    with tf.python_io.TFRecordWriter(path) as writer:
        for i in range(count):
            label = offset + i
            pixels = np.full((4, 4, 3), label, np.uint8)
            raw = label % 2 == 1
            feature = {
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(
                    value=[pixels.tobytes() if raw else _png(pixels)])),
                "image/format": tf.train.Feature(bytes_list=tf.train.BytesList(
                    value=[b"raw" if raw else b"png"])),
                "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(
                    value=[label])),
                "pair": tf.train.Feature(float_list=tf.train.FloatList(
                    value=[label, 2.0 * label])),
            }
            example = tf.train.Example(features=tf.train.Features(feature=feature))
            writer.write(example.SerializeToString())


def _dataset(pattern):
    keys_to_features = {
        "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
        "image/format": tf.FixedLenFeature((), tf.string, default_value="png"),
        "image/class/label": tf.FixedLenFeature([1], tf.int64),
        "pair": tf.VarLenFeature(tf.float32),
    }
    items_to_handlers = {
        "image": slim.tfexample_decoder.Image(shape=[4, 4, 3]),
        "label": slim.tfexample_decoder.Tensor("image/class/label", shape=[]),
        "pair": slim.tfexample_decoder.Tensor("pair", shape=[2], default_value=-1.0),
        "double_label": slim.tfexample_decoder.ItemHandlerCallback(
            "image/class/label", lambda keys: 2 * keys["image/class/label"]),
    }
    decoder = slim.tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)
    return slim.dataset.Dataset(data_sources=pattern, reader=tf.TFRecordReader,
                                decoder=decoder, num_samples=6,
                                items_to_descriptions={"image": "a 4x4 image"}, extra=1)


def test_dataset_data_provider_reads_decodes_and_prefetches(tmp_path):
    _write_records(str(tmp_path / "train-0.tfrecord"), 3, 0)
    _write_records(str(tmp_path / "train-1.tfrecord"), 3, 3)
    dataset = _dataset(str(tmp_path / "train-*.tfrecord"))
    assert dataset.extra == 1 and dataset.num_samples == 6
    with tf.Graph().as_default():
        provider = slim.dataset_data_provider.DatasetDataProvider(
            dataset, num_readers=2, shuffle=False, num_epochs=1)
        assert provider.num_samples() == 6
        image, label, pair, double, key = provider.get(
            ["image", "label", "pair", "double_label", "record_key"])
        assert image.shape.as_list() == [4, 4, 3] and image.dtype == tf.uint8
        with pytest.raises(ValueError, match=r"Item \[nope\] is invalid"):
            provider.get(["nope"])
        images, labels, pairs, doubles = tf.train.batch([image, label, pair, double],
                                                        batch_size=2)
        queue = slim.prefetch_queue.prefetch_queue([images, labels, pairs, doubles])
        batch = queue.dequeue()
        seen = []
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            with slim.queues.QueueRunners(sess):
                for _ in range(3):
                    got_images, got_labels, got_pairs, got_doubles = sess.run(batch)
                    for img, lab, pr, dbl in zip(got_images, got_labels, got_pairs,
                                                 got_doubles, strict=True):
                        np.testing.assert_array_equal(img, np.full((4, 4, 3), lab))
                        np.testing.assert_array_equal(pr, [lab, 2 * lab])
                        assert dbl == 2 * lab
                    seen.extend(got_labels.tolist())
            assert key.op.name.startswith("parallel_read/")
    assert sorted(seen) == list(range(6))


def test_parallel_reader_files_and_errors(tmp_path):
    _write_records(str(tmp_path / "a.tfrecord"), 2, 0)
    pattern = str(tmp_path / "*.tfrecord")
    assert slim.parallel_reader.get_data_files([pattern]) == [str(tmp_path / "a.tfrecord")]
    with pytest.raises(ValueError, match="No data files found in"):
        slim.parallel_reader.get_data_files(str(tmp_path / "none-*.tfrecord"))
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="common_queue.dtypes must be"):
            slim.parallel_reader.ParallelReader(tf.TFRecordReader,
                                                tf.FIFOQueue(4, [tf.int32, tf.string]))
        key, value = slim.parallel_reader.single_pass_read(pattern, tf.TFRecordReader)
        label = slim.tfexample_decoder.TFExampleDecoder(
            {"image/class/label": tf.FixedLenFeature([1], tf.int64)},
            {"label": slim.tfexample_decoder.Tensor("image/class/label")}).decode(value)[0]
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            assert [sess.run(label)[0] for _ in range(2)] == [0, 1]
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(label)
            coord.request_stop()
            coord.join(threads)
    with pytest.raises(ValueError, match="Cannot specify both shape_keys and shape"):
        slim.tfexample_decoder.Tensor("x", shape_keys=["h"], shape=[2])


def test_slim_learning_train_from_dataset_data_provider(tmp_path):
    """The slim training-script pattern: provider -> batch -> prefetch_queue -> model ->
    slim.learning.train (the Supervisor starts the queue runners)."""
    _write_records(str(tmp_path / "train-0.tfrecord"), 6, 0)
    with tf.Graph().as_default():
        provider = slim.dataset_data_provider.DatasetDataProvider(
            _dataset(str(tmp_path / "train-*.tfrecord")), common_queue_capacity=16,
            common_queue_min=4, seed=1)
        image, label = provider.get(["image", "label"])
        image = tf.cast(image, tf.float32) / 6.0
        images, labels = tf.train.batch([image, label], batch_size=3)
        images, labels = slim.prefetch_queue.prefetch_queue([images, labels]).dequeue()
        logits = slim.fully_connected(slim.flatten(images), 6, activation_fn=None)
        slim.losses.sparse_softmax_cross_entropy(logits, labels)
        train_op = slim.learning.create_train_op(slim.losses.get_total_loss(),
                                                 tf.train.GradientDescentOptimizer(0.1))
        loss = slim.learning.train(train_op, str(tmp_path / "logdir"), number_of_steps=4,
                                   save_summaries_secs=0, save_interval_secs=0)
    assert np.isfinite(loss)
    assert tf.train.latest_checkpoint(str(tmp_path / "logdir")).endswith("model.ckpt-4")


def test_bounding_box_lookup_and_backup_handlers():
    boxes = {"ymin": [0.1, 0.5], "xmin": [0.2, 0.6], "ymax": [0.3, 0.7], "xmax": [0.4, 0.8]}
    feature = {f"image/object/bbox/{k}": tf.train.Feature(
        float_list=tf.train.FloatList(value=v)) for k, v in boxes.items()}
    feature["image/class/text"] = tf.train.Feature(bytes_list=tf.train.BytesList(
        value=[b"tulip"]))
    feature["label/empty"] = tf.train.Feature(int64_list=tf.train.Int64List(value=[]))
    feature["label/backup"] = tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))
    serialized = tf.train.Example(
        features=tf.train.Features(feature=feature)).SerializeToString()
    decoder_module = slim.tfexample_decoder
    with tf.Graph().as_default():
        table = tf.contrib.lookup.index_table_from_tensor(
            tf.constant(["daisy", "rose", "tulip"]))
        keys_to_features = {f"image/object/bbox/{k}": tf.VarLenFeature(tf.float32)
                            for k in boxes}
        keys_to_features.update({
            "image/class/text": tf.FixedLenFeature([], tf.string),
            "label/empty": tf.VarLenFeature(tf.int64),
            "label/backup": tf.VarLenFeature(tf.int64)})
        decoder = decoder_module.TFExampleDecoder(keys_to_features, {
            "boxes": decoder_module.BoundingBox(prefix="image/object/bbox/"),
            "class": decoder_module.LookupTensor("image/class/text", table),
            "label": decoder_module.BackupHandler(decoder_module.Tensor("label/empty"),
                                                  decoder_module.Tensor("label/backup")),
        })
        got_boxes, got_class, got_label = decoder.decode(tf.constant(serialized),
                                                         ["boxes", "class", "label"])
        with tf.Session() as sess:
            sess.run(tf.tables_initializer())
            np.testing.assert_allclose(sess.run(got_boxes),
                                       [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]])
            assert sess.run(got_class) == 2
            np.testing.assert_array_equal(sess.run(got_label), [7])
    with pytest.raises(ValueError, match="BoundingBox expects 4 keys but got 2"):
        decoder_module.BoundingBox(keys=["a", "b"])
    with pytest.raises(ValueError, match="Primary handler is of type"):
        decoder_module.BackupHandler("x", decoder_module.Tensor("y"))
