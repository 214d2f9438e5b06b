"""Benchmark of tf.contrib.seq2seq: one training step of an attention seq2seq model (the NMT
tutorial's layout: embedding 32, LSTM(64) encoder by dynamic_rnn over 10 source steps,
BasicDecoder + TrainingHelper over an AttentionWrapper(BasicLSTMCell(64), Bahdanau(64),
attention_layer_size=64) for 11 target steps, Dense(vocab 50) output layer,
sequence_loss, Adam) on tfcompat: median ms/step over blocks after a warm-up, random
int32 batches fed through feed_dict.

    python benchmarks/bench_seq2seq.py [--batch 64] [--steps 200] [--rounds 3]
                                       [--tensorflow /path/to/python]

``--tensorflow`` is accepted for symmetry with the other benchmarks but there is nothing
to compare: TensorFlow 2.x has no tf.contrib (contrib.seq2seq is gone, and
tensorflow_addons' seq2seq is a different, Keras-based API), so only tfcompat is timed.
"""
import argparse
import os
import time

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "2")

import numpy as np  # noqa: E402 (after the thread settings)

VOCAB, EMBED, UNITS, SOURCE_STEPS, TARGET_STEPS = 50, 32, 64, 10, 11
WARM_UP_STEPS = 260  # past tfcompat's fusion threshold of the loop bodies' plans


def build(tf):
    """The attention model; returns (placeholders, training fetches)."""
    source = tf.placeholder(tf.int32, [None, SOURCE_STEPS], name="source")
    source_len = tf.placeholder(tf.int32, [None], name="source_len")
    decoder_in = tf.placeholder(tf.int32, [None, TARGET_STEPS], name="decoder_in")
    target = tf.placeholder(tf.int32, [None, TARGET_STEPS], name="target")
    target_len = tf.placeholder(tf.int32, [None], name="target_len")
    embedding = tf.get_variable("embedding", [VOCAB, EMBED])
    with tf.variable_scope("encoder"):
        memory, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(UNITS),
                                          tf.nn.embedding_lookup(embedding, source),
                                          sequence_length=source_len, dtype=tf.float32)
    seq2seq = tf.contrib.seq2seq
    mechanism = seq2seq.BahdanauAttention(UNITS, memory, memory_sequence_length=source_len)
    cell = seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), mechanism,
                                    attention_layer_size=UNITS)
    initial = cell.zero_state(tf.shape(source)[0], tf.float32).clone(cell_state=state)
    helper = seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, decoder_in), target_len)
    decoder = seq2seq.BasicDecoder(cell, helper, initial, output_layer=tf.layers.Dense(VOCAB))
    outputs, _, _ = seq2seq.dynamic_decode(decoder)
    logits = outputs.rnn_output
    weights = tf.sequence_mask(target_len, tf.shape(logits)[1], dtype=tf.float32)
    loss = seq2seq.sequence_loss(logits, target[:, :tf.shape(logits)[1]], weights)
    train = tf.train.AdamOptimizer(0.001).minimize(loss)
    return (source, source_len, decoder_in, target, target_len), [train, loss]


def batches(batch, count=8, seed=0):
    rng = np.random.default_rng(seed)
    result = []
    for _ in range(count):
        source_len = rng.integers(4, SOURCE_STEPS + 1, batch).astype(np.int32)
        target_len = np.minimum(source_len + 1, TARGET_STEPS).astype(np.int32)
        target_len[0] = TARGET_STEPS  # every batch decodes the full length
        result.append((rng.integers(3, VOCAB, (batch, SOURCE_STEPS)).astype(np.int32),
                       source_len,
                       rng.integers(3, VOCAB, (batch, TARGET_STEPS)).astype(np.int32),
                       rng.integers(3, VOCAB, (batch, TARGET_STEPS)).astype(np.int32),
                       target_len))
    return result


def tfcompat_step():
    import tfcompat as tf
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        placeholders, fetches = build(tf)
        sess = tf.Session(graph=graph)
        sess.run(tf.global_variables_initializer())
    return lambda values: sess.run(fetches, dict(zip(placeholders, values, strict=True)))


def median_ms(step, data, steps, rounds, warm_up):
    for i in range(warm_up):
        step(data[i % len(data)])
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(steps):
            step(data[i % len(data)])
        times.append((time.perf_counter() - start) / steps * 1000)
    return float(np.median(times)), times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm-up", type=int, default=WARM_UP_STEPS)
    parser.add_argument("--tensorflow", default=None)
    args = parser.parse_args()
    if args.tensorflow:
        print("TensorFlow 2.x has no tf.contrib.seq2seq: nothing to compare, timing tfcompat")
    median, times = median_ms(tfcompat_step(), batches(args.batch), args.steps, args.rounds,
                              args.warm_up)
    print(f"seq2seq attention training step, batch {args.batch}: tfcompat "
          f"{median:.2f} ms/step (rounds: {', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
