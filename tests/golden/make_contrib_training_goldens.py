"""Writes tests/golden/contrib_training_goldens.npz: one step of TensorFlow's ApplyAdaMax,
ApplyAddSign and ApplyPowerSign kernels (run as their ResourceApply* forms) on float32
arrays, for tests/ops/test_contrib_training_ops.py.

Run with the scratch TensorFlow venv from the worktree root:
    /work/tfvenv/bin/python tests/golden/make_contrib_training_goldens.py
"""
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contrib_training_goldens.npz")
F = np.float32
SCALARS = {"ApplyAdaMax": {"beta1_power": F(0.81), "lr": F(0.1), "beta1": F(0.9),
                           "beta2": F(0.99), "epsilon": F(1e-7)},
           "ApplyAddSign": {"lr": F(0.1), "alpha": F(1.5), "sign_decay": F(0.7),
                            "beta": F(0.9)},
           "ApplyPowerSign": {"lr": F(0.1), "logbase": F(0.6), "sign_decay": F(0.7),
                              "beta": F(0.9)}}


def main():
    rng = np.random.RandomState(0)
    arrays = {"var": rng.randn(6).astype(F), "m": rng.randn(6).astype(F),
              "v": np.abs(rng.randn(6)).astype(F), "grad": rng.randn(6).astype(F)}
    arrays["grad"][2] = 0.0
    for op_type, scalars in SCALARS.items():
        var, m, v = (tf.Variable(arrays[k]) for k in ("var", "m", "v"))
        slots = {"m": m.handle, "v": v.handle} if op_type == "ApplyAdaMax" else {"m": m.handle}
        getattr(tf.raw_ops, "Resource" + op_type)(var=var.handle, grad=arrays["grad"],
                                                  **slots, **scalars)
        for key, value in zip(("var", "m", "v"), (var, m, v), strict=True):
            arrays[f"{op_type}/{key}"] = value.numpy()
    np.savez_compressed(OUT, **arrays)
    print(f"{len(arrays)} arrays written to {OUT}")


if __name__ == "__main__":
    main()
