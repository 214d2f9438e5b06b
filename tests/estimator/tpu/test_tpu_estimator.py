"""tf.contrib.tpu.TPUEstimator with use_tpu=False, in the style of BERT's run_classifier.py:
params["batch_size"], TPUEstimatorSpec with eval_metrics / scaffold_fn / host_call, a tf.data
input_fn with drop_remainder, train -> evaluate -> predict -> export."""
import os

import numpy as np
import pytest

import tfcompat as tf

FEATURES = np.random.RandomState(0).randn(24, 3).astype(np.float32)
LABELS = (FEATURES @ np.array([1.0, -2.0, 0.5], np.float32) > 0).astype(np.int32)


def make_input_fn(seen_batch_sizes, is_training):
    def input_fn(params):
        batch_size = params["batch_size"]
        seen_batch_sizes.append(batch_size)
        dataset = tf.data.Dataset.from_tensor_slices(
            {"x": FEATURES, "label_ids": LABELS})
        if is_training:
            dataset = dataset.repeat()
        return dataset.batch(batch_size, drop_remainder=True)
    return input_fn


def make_model_fn(seen_params, init_checkpoint=None, host_call_log=None):
    def model_fn(features, labels, mode, params):
        seen_params.append((mode, dict(params)))
        features = dict(features)
        label_ids = features.pop("label_ids")
        logits = tf.layers.dense(features["x"], 2, name="output")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=label_ids, logits=logits))
        scaffold_fn = None
        if init_checkpoint:
            def scaffold_fn():
                tf.train.init_from_checkpoint(init_checkpoint, {"output/": "output/"})
                return tf.train.Scaffold()
        if mode == tf.estimator.ModeKeys.TRAIN:
            train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
                loss, global_step=tf.train.get_global_step())
            host_call = None
            if host_call_log is not None:
                def host_fn(global_step, loss_value):
                    host_call_log.append(params["batch_size"])
                    return tf.identity(loss_value[0] + tf.cast(global_step[0], tf.float32))
                host_call = (host_fn, [tf.reshape(tf.train.get_global_step(), [1]),
                                       tf.reshape(loss, [1])])
            return tf.contrib.tpu.TPUEstimatorSpec(mode=mode, loss=loss, train_op=train_op,
                                                   scaffold_fn=scaffold_fn,
                                                   host_call=host_call)
        if mode == tf.estimator.ModeKeys.EVAL:
            def metric_fn(label_ids, logits):
                predictions = tf.argmax(logits, axis=-1, output_type=tf.int32)
                return {"eval_accuracy": tf.metrics.accuracy(label_ids, predictions)}
            return tf.contrib.tpu.TPUEstimatorSpec(mode=mode, loss=loss,
                                                   eval_metrics=(metric_fn, [label_ids, logits]),
                                                   scaffold_fn=scaffold_fn)
        return tf.contrib.tpu.TPUEstimatorSpec(
            mode=mode, predictions={"probabilities": tf.nn.softmax(logits)},
            scaffold_fn=scaffold_fn)
    return model_fn


def run_config(model_dir):
    return tf.contrib.tpu.RunConfig(
        cluster=None, master=None, model_dir=str(model_dir), save_checkpoints_steps=1000,
        tpu_config=tf.contrib.tpu.TPUConfig(
            iterations_per_loop=1000, num_shards=8,
            per_host_input_for_training=tf.contrib.tpu.InputPipelineConfig.PER_HOST_V2))


def test_train_evaluate_predict_export_like_bert(tmp_path):
    seen_params, batch_sizes, host_calls = [], [], []
    estimator = tf.contrib.tpu.TPUEstimator(
        use_tpu=False, model_fn=make_model_fn(seen_params, host_call_log=host_calls),
        config=run_config(tmp_path / "model"), params={"learning_rate": 0.5},
        train_batch_size=4, eval_batch_size=8, predict_batch_size=6)
    estimator.train(make_input_fn(batch_sizes, True), max_steps=30)
    assert estimator.get_variable_value("global_step") == 30
    results = estimator.evaluate(make_input_fn(batch_sizes, False), steps=None)
    assert results["global_step"] == 30
    assert results["eval_accuracy"] >= 0.75  # a separable problem, learned in 30 steps
    predictions = list(estimator.predict(make_input_fn(batch_sizes, False)))
    assert len(predictions) == 24   # 4 full batches of 6
    assert predictions[0]["probabilities"].shape == (2,)
    np.testing.assert_allclose(sum(p["probabilities"].sum() for p in predictions), 24,
                               rtol=1e-5)
    assert batch_sizes == [4, 8, 6]
    assert [(mode, params["batch_size"]) for mode, params in seen_params] == [
        ("train", 4), ("eval", 8), ("infer", 6)]
    assert all(params["use_tpu"] is False and params["learning_rate"] == 0.5
               for _, params in seen_params)
    assert host_calls == [4]
    assert estimator.params == {"learning_rate": 0.5}
    del seen_params[:]

    def serving_input_fn():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        label_ids = tf.zeros_like(tf.cast(x[:, 0], tf.int32))
        return tf.estimator.export.ServingInputReceiver({"x": x, "label_ids": label_ids},
                                                        {"x": x})
    export_dir = estimator.export_saved_model(str(tmp_path / "export"), serving_input_fn)
    assert os.path.exists(os.path.join(export_dir.decode(), "saved_model.pb"))
    # exporting: no batch size, use_tpu False (TF's export on the CPU)
    assert seen_params == [("infer", {"learning_rate": 0.5, "use_tpu": False})]


def test_scaffold_fn_init_from_checkpoint_warm_starts(tmp_path):
    first = tf.contrib.tpu.TPUEstimator(
        use_tpu=False, model_fn=make_model_fn([]), config=run_config(tmp_path / "first"),
        train_batch_size=4, eval_batch_size=8)
    first.train(make_input_fn([], True), max_steps=20)
    kernel = first.get_variable_value("output/kernel")
    second = tf.contrib.tpu.TPUEstimator(
        use_tpu=False, model_fn=make_model_fn([], init_checkpoint=first.latest_checkpoint()),
        config=run_config(tmp_path / "second"), train_batch_size=4, eval_batch_size=8)
    results = second.evaluate(make_input_fn([], False))
    # evaluated without a checkpoint of its own: the weights come from init_from_checkpoint
    assert results["global_step"] == 0
    first_results = first.evaluate(make_input_fn([], False))
    np.testing.assert_allclose(results["eval_accuracy"], first_results["eval_accuracy"])
    np.testing.assert_allclose(results["loss"], first_results["loss"], rtol=1e-6)
    # predict with no checkpoint in model_dir (BERT's extract_features.py): initialised, and
    # scaffold_fn's init_from_checkpoint supplies the trained weights
    second = tf.contrib.tpu.TPUEstimator(
        use_tpu=False, model_fn=make_model_fn([], init_checkpoint=first.latest_checkpoint()),
        config=run_config(tmp_path / "third"), predict_batch_size=6)
    probabilities = np.stack([p["probabilities"] for p in second.predict(
        make_input_fn([], False))])
    logits = FEATURES @ kernel + first.get_variable_value("output/bias")
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(probabilities, expected, rtol=1e-5)


def test_model_fn_may_return_an_estimator_spec_and_batch_size_may_be_absent(tmp_path):
    def model_fn(features, labels, mode, params):
        assert "batch_size" not in params
        w = tf.get_variable("w", [3, 1])
        loss = tf.reduce_mean(tf.square(tf.matmul(features, w) - labels))
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
            loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    def input_fn(params):
        assert "batch_size" not in params
        dataset = tf.data.Dataset.from_tensor_slices((FEATURES, LABELS[:, None].astype(np.float32)))
        return dataset.batch(4)
    estimator = tf.contrib.tpu.TPUEstimator(model_fn=model_fn, use_tpu=False,
                                            config=run_config(tmp_path))
    estimator.train(input_fn, steps=2)
    assert estimator.get_variable_value("global_step") == 2


def test_input_fn_and_model_fn_must_take_params(tmp_path):
    estimator = tf.contrib.tpu.TPUEstimator(
        model_fn=lambda features, labels, mode: None, use_tpu=False,
        config=run_config(tmp_path), train_batch_size=4)
    with pytest.raises(ValueError, match="input_fn .* does not include params argument"):
        estimator.train(lambda: ({"x": tf.constant(FEATURES)}, None), steps=1)
    with pytest.raises(ValueError, match="model_fn .* does not include params argument"):
        estimator.train(lambda params: ({"x": tf.constant(FEATURES)}, None), steps=1)


def test_constructor_checks():
    model_fn = make_model_fn([])
    with pytest.raises(ValueError, match="must be provided with type `tpu_config.RunConfig`"):
        tf.contrib.tpu.TPUEstimator(model_fn=model_fn, use_tpu=False)
    with pytest.raises(ValueError, match="must be provided with type"):
        tf.contrib.tpu.TPUEstimator(model_fn=model_fn, use_tpu=False,
                                    config=tf.estimator.RunConfig())
    config = tf.contrib.tpu.RunConfig()
    with pytest.raises(ValueError, match=r"\['batch_size', 'context'\] are reserved keys"):
        tf.contrib.tpu.TPUEstimator(model_fn=model_fn, use_tpu=False, config=config,
                                    params={"batch_size": 3})
    with pytest.raises(ValueError, match="`train_batch_size` cannot be `None`"):
        tf.contrib.tpu.TPUEstimator(model_fn=model_fn, config=config)
    with pytest.raises(ValueError, match="eval_batch_size must be positive integer"):
        tf.contrib.tpu.TPUEstimator(model_fn=model_fn, config=config, train_batch_size=8,
                                    eval_batch_size=0)
    with pytest.raises(ValueError, match="tfcompat has no TPU.*use_tpu=False"):
        tf.contrib.tpu.TPUEstimator(model_fn=model_fn, config=config, train_batch_size=8)


def test_tpu_estimator_spec_checks():
    mode = tf.estimator.ModeKeys.EVAL
    loss = tf.constant(1.0)
    with pytest.raises(ValueError, match="eval_metrics should be tuple or list"):
        tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, eval_metrics=lambda: {})
    with pytest.raises(ValueError, match="eval_metrics should have two elements."):
        tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, eval_metrics=(lambda: {},))
    with pytest.raises(TypeError, match=r"host_call\[0\] should be callable."):
        tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, host_call=(1, []))
    with pytest.raises(ValueError, match=r"eval_metrics\[1\] should be tuple or list, or dict"):
        tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, eval_metrics=(lambda x: {}, loss))
    with pytest.raises(RuntimeError, match="length of tensors 2 does not match method args"):
        tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss,
                                        eval_metrics=(lambda x: {}, [loss, loss]))
    with pytest.raises(TypeError, match="All hooks must be SessionRunHook instances"):
        tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, evaluation_hooks=[object()])


def test_as_estimator_spec_calls_metric_fn_with_a_dict_and_scaffold_fn():
    labels = tf.constant([1, 0, 1])
    predictions = tf.constant([1, 1, 1])
    scaffold = tf.train.Scaffold()
    spec = tf.contrib.tpu.TPUEstimatorSpec(
        tf.estimator.ModeKeys.EVAL, loss=tf.constant(0.5),
        eval_metrics=(lambda labels, predictions: {
            "acc": tf.metrics.accuracy(labels, predictions)},
            {"labels": labels, "predictions": predictions}),
        scaffold_fn=lambda: scaffold).as_estimator_spec()
    assert isinstance(spec, tf.estimator.EstimatorSpec)
    assert spec.scaffold is scaffold
    value, update = spec.eval_metric_ops["acc"]
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        session.run(update)
        assert session.run(value) == pytest.approx(2 / 3)


def test_host_call_writes_contrib_summaries_every_step(tmp_path):
    model_dir = tmp_path / "model"

    def model_fn(features, labels, mode, params):
        w = tf.get_variable("w", [3, 1])
        loss = tf.reduce_mean(tf.square(tf.matmul(features["x"], w)))
        global_step = tf.train.get_global_step()
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss,
                                                                   global_step=global_step)

        def host_call_fn(gs, loss_value):   # BERT-era TPU code's summary host_call
            with tf.contrib.summary.create_file_writer(str(model_dir / "host")).as_default():
                with tf.contrib.summary.always_record_summaries():
                    tf.contrib.summary.scalar("host_loss", loss_value[0], step=gs[0])
                    return tf.contrib.summary.all_summary_ops()
        host_call = (host_call_fn, [tf.reshape(global_step, [1]), tf.reshape(loss, [1])])
        return tf.contrib.tpu.TPUEstimatorSpec(mode, loss=loss, train_op=train_op,
                                               host_call=host_call)
    estimator = tf.contrib.tpu.TPUEstimator(model_fn=model_fn, use_tpu=False,
                                            config=run_config(model_dir), train_batch_size=4)
    estimator.train(make_input_fn([], True), max_steps=3)
    steps = [event.step for path in (model_dir / "host").iterdir()
             for event in tf.train.summary_iterator(str(path))
             if event.summary is not None
             and any(value.tag == "host_loss" for value in event.summary.value)]
    assert sorted(steps) == [0, 1, 2]
