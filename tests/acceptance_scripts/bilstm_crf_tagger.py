"""A TF 1.x sequence tagger as NER code of the time wrote it: word embeddings trained with
tf.contrib.opt.LazyAdamOptimizer (sparse rows), a bidirectional LSTM over padded batches
with sequence lengths, a layer-normalised projection, a linear-chain CRF
(tf.contrib.crf.crf_log_likelihood) and both decoders (crf_decode in the graph,
viterbi_decode in NumPy on the fetched scores)."""
import numpy as np
import tensorflow as tf

rng = np.random.RandomState(7)
vocab, num_tags, max_len, n_sentences = 30, 4, 9, 96
lengths = rng.randint(3, max_len + 1, n_sentences).astype(np.int32)
words = rng.randint(1, vocab, (n_sentences, max_len)).astype(np.int32)
# Tag of a word: its class (word % 3), except that a class-0 word right after a class-1 word
# is tag 3 — only the transitions (the CRF) and the context (the BiLSTM) can tell it.
tags = (words % 3).astype(np.int32)
tags[:, 1:][(words[:, 1:] % 3 == 0) & (words[:, :-1] % 3 == 1)] = 3
mask = np.arange(max_len)[None] < lengths[:, None]
words[~mask], tags[~mask] = 0, 0

word_ids = tf.placeholder(tf.int32, [None, None], name="word_ids")
labels = tf.placeholder(tf.int32, [None, None], name="labels")
sequence_lengths = tf.placeholder(tf.int32, [None], name="sequence_lengths")

with tf.variable_scope("words"):
    embeddings = tf.get_variable("embeddings", [vocab, 16])
    embedded = tf.nn.embedding_lookup(embeddings, word_ids)
with tf.variable_scope("bi-lstm"):
    cell_fw = tf.contrib.rnn.LSTMCell(16)
    cell_bw = tf.contrib.rnn.LSTMCell(16)
    (output_fw, output_bw), _ = tf.nn.bidirectional_dynamic_rnn(
        cell_fw, cell_bw, embedded, sequence_length=sequence_lengths, dtype=tf.float32)
    context = tf.contrib.layers.layer_norm(tf.concat([output_fw, output_bw], axis=-1),
                                           begin_norm_axis=-1, begin_params_axis=-1)
with tf.variable_scope("proj"):
    logits = tf.layers.dense(context, num_tags)
log_likelihood, transition_params = tf.contrib.crf.crf_log_likelihood(
    logits, labels, sequence_lengths)
loss = tf.reduce_mean(-log_likelihood)
train_op = tf.contrib.opt.LazyAdamOptimizer(0.03).minimize(loss)
decoded, _ = tf.contrib.crf.crf_decode(logits, transition_params, sequence_lengths)

feed = {word_ids: words, labels: tags, sequence_lengths: lengths}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(80):
        batch = slice((step % 4) * 24, (step % 4 + 1) * 24)
        _, batch_loss = sess.run([train_op, loss], {word_ids: words[batch],
                                                   labels: tags[batch],
                                                   sequence_lengths: lengths[batch]})
        if step % 20 == 0:
            print(f"step {step}: loss {batch_loss:.4f}")
    graph_tags, scores, transitions = sess.run([decoded, logits, transition_params], feed)

graph_accuracy = (graph_tags == tags)[mask].mean()
numpy_tags = [tf.contrib.crf.viterbi_decode(scores[i, :lengths[i]], transitions)[0]
              for i in range(n_sentences)]
agree = all(list(graph_tags[i, :lengths[i]]) == list(numpy_tags[i])
            for i in range(n_sentences))
print(f"tagging accuracy {graph_accuracy:.3f}; decoders agree: {agree}")
assert agree and graph_accuracy > 0.95, graph_accuracy
