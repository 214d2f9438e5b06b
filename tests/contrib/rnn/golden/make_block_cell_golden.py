"""Writes block_cells.npz with TensorFlow's fused LSTMBlockCell / GRUBlockCell ops.

Run with the scratch TF venv: /work/tfvenv/bin/python make_block_cell_golden.py
"""
import os

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.normal(size=(2, 3)).astype(np.float32)
c, h = [rng.normal(size=(2, 4)).astype(np.float32) for _ in range(2)]
kernel = rng.normal(size=(7, 16)).astype(np.float32)
bias = rng.normal(size=(16,)).astype(np.float32)
wci, wcf, wco = [rng.normal(size=(4,)).astype(np.float32) for _ in range(3)]
lstm = tf.raw_ops.LSTMBlockCell(x=x, cs_prev=c, h_prev=h, w=kernel, wci=wci, wcf=wcf, wco=wco,
                                b=bias, forget_bias=0.3, cell_clip=0.8, use_peephole=True)
gru = tf.raw_ops.GRUBlockCell(x=x, h_prev=h, w_ru=kernel[:, :8], w_c=kernel[:, 8:12],
                              b_ru=bias[:8], b_c=bias[8:12])
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "block_cells.npz"),
         x=x, c=c, h=h, kernel=kernel, bias=bias, w_i_diag=wci, w_f_diag=wcf, w_o_diag=wco,
         lstm_c=lstm.cs.numpy(), lstm_h=lstm.h.numpy(), gru_h=gru.h.numpy())
