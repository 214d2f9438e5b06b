"""A TF 1.x attention seq2seq model (the NMT tutorial's layout) on a toy task: output the
source sequence reversed. Embedding + LSTM encoder (dynamic_rnn), Bahdanau attention
decoder trained with TrainingHelper and sequence_loss, then greedy (GreedyEmbeddingHelper)
and beam search (BeamSearchDecoder over tile_batch'ed memory) inference built in a reusing
variable scope. Prints the loss and accuracies; exits 1 when the model does not learn."""
import sys

import numpy as np
import tensorflow as tf

PAD, GO, EOS = 0, 1, 2
VOCAB, EMBED, UNITS = 10, 16, 48
MIN_LEN, MAX_LEN = 2, 5
BATCH, BEAM_WIDTH, STEPS = 64, 3, 150
tf.set_random_seed(1)
rng = np.random.RandomState(0)


def make_batch(size):
    lengths = rng.randint(MIN_LEN, MAX_LEN + 1, size)
    source = np.full((size, MAX_LEN), PAD, np.int32)
    target = np.full((size, MAX_LEN + 1), PAD, np.int32)
    for i, n in enumerate(lengths):
        tokens = rng.randint(3, VOCAB, n)
        source[i, :n] = tokens
        target[i, :n] = tokens[::-1]
        target[i, n] = EOS
    decoder_in = np.concatenate([np.full((size, 1), GO, np.int32), target[:, :-1]], 1)
    return source, lengths.astype(np.int32), decoder_in, target, (lengths + 1).astype(np.int32)


source = tf.placeholder(tf.int32, [None, MAX_LEN], name="source")
source_len = tf.placeholder(tf.int32, [None], name="source_len")
decoder_inputs = tf.placeholder(tf.int32, [None, MAX_LEN + 1], name="decoder_inputs")
targets = tf.placeholder(tf.int32, [None, MAX_LEN + 1], name="targets")
target_len = tf.placeholder(tf.int32, [None], name="target_len")
batch_size = tf.shape(source)[0]

embedding = tf.get_variable("embedding", [VOCAB, EMBED])
with tf.variable_scope("encoder"):
    encoder_cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
    encoder_outputs, encoder_state = tf.nn.dynamic_rnn(
        encoder_cell, tf.nn.embedding_lookup(embedding, source), sequence_length=source_len,
        dtype=tf.float32)


def decoder_cell(memory, memory_len, initial_state, rows):
    mechanism = tf.contrib.seq2seq.BahdanauAttention(UNITS, memory,
                                                     memory_sequence_length=memory_len)
    cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), mechanism,
                                               attention_layer_size=UNITS)
    return cell, cell.zero_state(rows, tf.float32).clone(cell_state=initial_state)


output_layer = tf.layers.Dense(VOCAB, name="output_projection")
with tf.variable_scope("decode"):
    cell, initial = decoder_cell(encoder_outputs, source_len, encoder_state, batch_size)
    helper = tf.contrib.seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, decoder_inputs),
                                               target_len)
    decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, initial, output_layer=output_layer)
    train_outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(decoder)

logits = train_outputs.rnn_output
max_steps = tf.shape(logits)[1]
weights = tf.sequence_mask(target_len, max_steps, dtype=tf.float32)
loss = tf.contrib.seq2seq.sequence_loss(logits, targets[:, :max_steps], weights)
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)

start_tokens = tf.fill([batch_size], GO)
with tf.variable_scope("decode", reuse=True):
    cell, initial = decoder_cell(encoder_outputs, source_len, encoder_state, batch_size)
    greedy = tf.contrib.seq2seq.BasicDecoder(
        cell, tf.contrib.seq2seq.GreedyEmbeddingHelper(embedding, start_tokens, EOS), initial,
        output_layer=output_layer)
    greedy_outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(greedy,
                                                             maximum_iterations=MAX_LEN + 2)
with tf.variable_scope("decode", reuse=True):
    tiled_state = tf.contrib.seq2seq.tile_batch(encoder_state, BEAM_WIDTH)
    cell, initial = decoder_cell(tf.contrib.seq2seq.tile_batch(encoder_outputs, BEAM_WIDTH),
                                 tf.contrib.seq2seq.tile_batch(source_len, BEAM_WIDTH),
                                 tiled_state, batch_size * BEAM_WIDTH)
    beam = tf.contrib.seq2seq.BeamSearchDecoder(cell, embedding, start_tokens, EOS, initial,
                                                BEAM_WIDTH, output_layer=output_layer,
                                                length_penalty_weight=0.2)
    beam_outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(beam, maximum_iterations=MAX_LEN + 2)

names = sorted(v.op.name for v in tf.trainable_variables())
print("variables:", names)
assert "decode/decoder/attention_wrapper/basic_lstm_cell/kernel" in names, names
assert "decode/decoder/attention_wrapper/bahdanau_attention/query_layer/kernel" in names, names
assert "decode/memory_layer/kernel" in names and len(names) == 11, names


def accuracy(predicted, target, lengths):
    """Share of sequences whose tokens up to and including EOS are all right."""
    right = 0
    for row, want, n in zip(predicted, target, lengths):
        got = np.full(n, -1)
        got[:min(n, len(row))] = row[:n]
        right += np.array_equal(got, want[:n])
    return right / len(target)


with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = []
    for step in range(STEPS):
        src, src_len, dec_in, tgt, tgt_len = make_batch(BATCH)
        _, value = sess.run([train_op, loss], {source: src, source_len: src_len,
                                               decoder_inputs: dec_in, targets: tgt,
                                               target_len: tgt_len})
        losses.append(value)
        if step % 40 == 0:
            print(f"step {step}: loss {value:.4f}")
    src, src_len, _, tgt, tgt_len = make_batch(100)
    greedy_ids, beam_ids = sess.run([greedy_outputs.sample_id, beam_outputs.predicted_ids],
                                    {source: src, source_len: src_len})
greedy_accuracy = accuracy(greedy_ids, tgt, tgt_len)
beam_accuracy = accuracy(beam_ids[:, :, 0], tgt, tgt_len)
first, last = np.mean(losses[:10]), np.mean(losses[-10:])
print(f"loss {first:.3f} -> {last:.3f}; greedy accuracy {greedy_accuracy:.2f}, "
      f"beam accuracy {beam_accuracy:.2f}")
if not (last < 0.3 * first and greedy_accuracy > 0.6 and beam_accuracy > 0.6):
    sys.exit(1)
