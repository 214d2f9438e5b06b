"""Hand-written NumPy forward/backward passes of the benchmark networks: the practical
floor (BLAS time plus the unavoidable elementwise passes) that tfcompat is measured against.

Each ``make_*`` returns ``step(X, y)`` performing one full training step in place.
"""
import numpy as np


def _he(rng, n_in, n_out):
    # variance_scaling_initializer(scale=2.0): truncated normal, stddev sqrt(2/n_in)/0.8796
    w = rng.standard_normal((n_in, n_out))
    w = np.clip(w, -2, 2)
    return (w * np.sqrt(2.0 / n_in) / 0.87962566103423978).astype(np.float32)


def _xent_grad(logits, y):
    """Mean sparse softmax cross-entropy and its gradient w.r.t. the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    n = logits.shape[0]
    loss = -np.log(probs[np.arange(n), y]).mean()
    probs[np.arange(n), y] -= 1.0
    probs /= n
    return loss, probs


def _bn_forward(z, gamma, beta, eps=1e-3):
    mean = z.mean(axis=0)
    centered = z - mean
    var = (centered * centered).mean(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    xhat = centered * inv
    return xhat * gamma + beta, (xhat, inv, mean, var)


def _bn_backward(dy, gamma, cache):
    xhat, inv, _, _ = cache
    n = dy.shape[0]
    dgamma = (dy * xhat).sum(axis=0)
    dbeta = dy.sum(axis=0)
    dxhat = dy * gamma
    dz = inv / n * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
    return dz, dgamma, dbeta


def _elu(z):
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))


def make_bn(seed=42, lr=0.01, momentum=0.9):
    """M1: 784-300-100-10, dense -> BN -> ELU, BN on the logits, plain SGD."""
    rng = np.random.default_rng(seed)
    sizes = [784, 300, 100, 10]
    W = [_he(rng, a, b) for a, b in zip(sizes, sizes[1:])]
    b = [np.zeros(n, np.float32) for n in sizes[1:]]
    gamma = [np.ones(n, np.float32) for n in sizes[1:]]
    beta = [np.zeros(n, np.float32) for n in sizes[1:]]
    moving = [[np.zeros(n, np.float32), np.ones(n, np.float32)] for n in sizes[1:]]

    def step(X, y):
        acts, caches, outs = [X], [], []
        h = X
        for i in range(3):
            z = h @ W[i] + b[i]
            bn, cache = _bn_forward(z, gamma[i], beta[i])
            caches.append(cache)
            h = _elu(bn) if i < 2 else bn
            outs.append(h)
            acts.append(h)
            m, v = moving[i]
            m -= (m - cache[2]) * (1 - momentum)
            v -= (v - cache[3]) * (1 - momentum)
        loss, d = _xent_grad(h, y)
        for i in (2, 1, 0):
            if i < 2:
                d = d * np.where(outs[i] > 0, 1.0, outs[i] + 1.0).astype(np.float32)
            dz, dgamma, dbeta = _bn_backward(d, gamma[i], caches[i])
            dW = acts[i].T @ dz
            db = dz.sum(axis=0)
            if i > 0:
                d = dz @ W[i].T
            W[i] -= lr * dW
            b[i] -= lr * db
            gamma[i] -= lr * dgamma
            beta[i] -= lr * dbeta
        return loss
    return step


def make_dropout(seed=42, lr=0.01, momentum=0.9, rate=0.5):
    """M2: 784-300-50-10 ReLU, dropout 0.5 on the input and hidden layers, Momentum 0.9."""
    rng = np.random.default_rng(seed)
    sizes = [784, 300, 50, 10]
    W = [_he(rng, a, b) for a, b in zip(sizes, sizes[1:])]
    b = [np.zeros(n, np.float32) for n in sizes[1:]]
    velocity = [np.zeros_like(p) for p in W + b]
    keep = 1.0 - rate

    def dropout(x):
        mask = (rng.random(x.shape, dtype=np.float32) < keep).astype(np.float32) / keep
        return x * mask, mask

    def step(X, y):
        h, mask = dropout(X)
        acts, masks, zs = [h], [mask], []
        for i in range(3):
            z = h @ W[i] + b[i]
            zs.append(z)
            if i < 2:
                h, mask = dropout(np.maximum(z, 0))
                acts.append(h)
                masks.append(mask)
            else:
                h = z
        loss, d = _xent_grad(h, y)
        grads = [None] * 6
        for i in (2, 1, 0):
            grads[i] = acts[i].T @ d
            grads[3 + i] = d.sum(axis=0)
            if i > 0:
                d = (d @ W[i].T) * masks[i] * (zs[i - 1] > 0)
        for p, v, g in zip(W + b, velocity, grads):
            v *= momentum
            v += g
            p -= lr * v
        return loss
    return step


def make_deep_adam(seed=42, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """M3: 784-(100 ELU)x5-10, He init, Adam."""
    rng = np.random.default_rng(seed)
    sizes = [784, 100, 100, 100, 100, 100, 10]
    W = [_he(rng, a, b) for a, b in zip(sizes, sizes[1:])]
    b = [np.zeros(n, np.float32) for n in sizes[1:]]
    params = W + b
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = [0]
    n_layers = len(W)

    def step(X, y):
        h, acts, outs = X, [X], []
        for i in range(n_layers):
            z = h @ W[i] + b[i]
            h = _elu(z) if i < n_layers - 1 else z
            outs.append(h)
            acts.append(h)
        loss, d = _xent_grad(h, y)
        grads = [None] * (2 * n_layers)
        for i in reversed(range(n_layers)):
            grads[i] = acts[i].T @ d
            grads[n_layers + i] = d.sum(axis=0)
            if i > 0:
                d = (d @ W[i].T) * np.where(outs[i - 1] > 0, 1.0, outs[i - 1] + 1.0)
                d = d.astype(np.float32)
        t[0] += 1
        lr_t = lr * np.sqrt(1 - beta2 ** t[0]) / (1 - beta1 ** t[0])
        for p, mi, vi, g in zip(params, m, v, grads):
            mi += (g - mi) * (1 - beta1)
            vi += (g * g - vi) * (1 - beta2)
            p -= lr_t * mi / (np.sqrt(vi) + eps)
        return loss
    return step


NETWORKS = {"bn": make_bn, "dropout": make_dropout, "deep_adam": make_deep_adam}
