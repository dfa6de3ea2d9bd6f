#!/usr/bin/python3
"""Golden fixtures computed by PyTorch, for tests/test_golden.cpp, which needs no torch.

Run by hand from this folder (needs Debian's python3-torch and python3-numpy), then commit the
.npz files it writes:

    /usr/bin/python3 make_golden.py

One file per pairing of cost and output activation that fcnn accepts, <cost>-<output>.npz: the
quadratic cost after any output, cross_entropy after sigmoid or softmax, binary_cross_entropy
after sigmoid. Each file holds four cases:

    case0   2 layers, a batch of 1
    case1   3 layers, a batch of 3
    case2   4 layers, a batch of 17
    case3   3 layers, a batch of 3, saturated: each layer's W and b scaled so that its largest |z| is 50

The hidden layers cycle through sigmoid, tanh, relu, leaky_relu and linear, so every file has each
of them somewhere. Layers are 2 to 5 wide. Everything is double (torch.float64), samples are
columns as in fcnn, and for each case k:

    case<k>.activations          the activation of each layer, "tanh,relu,softmax" (a string)
    case<k>.W<l>, case<k>.b<l>   W^l (n_l x n_(l-1)) and b^l (n_l x 1), l = 1..L
    case<k>.X, case<k>.Y         the inputs (n_0 x batch) and the targets (n_L x batch)
    case<k>.z<l>, case<k>.a<l>   the forward pass
    case<k>.delta<l>             dC_x/dz^l, one column per sample x (autograd of sum_x C_x)
    case<k>.nabla_w<l>, .nabla_b<l>  dC/dW^l, dC/db^l of the batch cost C = (1/n) sum_x C_x
    case<k>.cost                 C
    case<k>.W_after<l>, .b_after<l>  W^l - eta nabla_w^l, b^l - eta nabla_b^l: one SGD step
    eta                          that step's learning rate (one for the file)
    saturated                    the numbers k of the saturated cases

The costs are the exact math written in the stable forms PyTorch users write (log_softmax,
logsigmoid), so autograd differentiates the cost itself and not fcnn's way of computing it.

How good is the referee? Two more kinds of arrays say it, for the test's tolerances:

    case<k>.exact_delta<l>, .exact_nabla_w<l>, .exact_nabla_b<l>   (saturated cases)
        the same quantities in exact arithmetic (mpmath, 60 digits, from the same double inputs).
        Where a sigmoid or tanh saturates, sigma'(z) = a (1 - a) or 1 - a^2 is computed from an
        a that is within an ulp of 1, and loses digits in PyTorch as in fcnn: both are about
        1e-11 from these values, and so from each other.
    case<k>.float32_delta<l>, .float32_nabla_w<l>, .float32_nabla_b<l>   (the other cases)
        PyTorch's own result in float32 from the inputs rounded to float, as fcnn's float test
        gets them: where a gradient is a small difference of larger terms, float32 PyTorch is
        itself more than 1e-5 from its double.
"""
import mpmath
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
PAIRINGS = [("quadratic", output) for output in ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]] + \
           [("cross_entropy", "sigmoid"), ("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid")]
CASES = [(2, 1, False), (3, 3, False), (4, 17, False), (3, 3, True)]  # layers, batch, saturated
ETA = 0.5
LARGEST_Z = 50.0


def activate(name, z):
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
            "leaky_relu": lambda v: torch.nn.functional.leaky_relu(v, 0.01),
            "linear": lambda v: v, "softmax": lambda v: torch.softmax(v, dim=0)}[name](z)


def log_output(output, z):  # ln a, stably, for the two outputs the cross-entropies take
    return torch.log_softmax(z, dim=0) if output == "softmax" else torch.nn.functional.logsigmoid(z)


def costs_per_sample(cost, output, z, a, y):  # C_x for each column
    if cost == "quadratic":
        return 0.5 * ((a - y) ** 2).sum(dim=0)
    if cost == "cross_entropy":
        return -(y * log_output(output, z)).sum(dim=0)
    log_a, log_one_minus_a = torch.nn.functional.logsigmoid(z), torch.nn.functional.logsigmoid(-z)
    return -(y * log_a + (1 - y) * log_one_minus_a).sum(dim=0)


def targets(cost, output, rows, batch, rng):
    if cost == "cross_entropy":  # columns that sum to 1: one-hot, and probabilities in the last
        y = np.zeros((rows, batch))
        y[rng.integers(0, rows, batch), np.arange(batch)] = 1
        if batch > 1:
            p = rng.random(rows)
            y[:, -1] = p / p.sum()
        return y
    if cost == "binary_cross_entropy":
        return (rng.random((rows, batch)) < 0.5).astype(float)
    low, high = {"sigmoid": (0, 1), "softmax": (0, 1), "tanh": (-1, 1), "relu": (0, 2)}.get(output, (-2, 2))
    return rng.uniform(low, high, (rows, batch))


def parameters(sizes, activations, X, saturated, rng):
    Ws, bs, a = [], [], X
    for l in range(len(activations)):
        W = rng.standard_normal((sizes[l + 1], sizes[l]))
        b = rng.standard_normal((sizes[l + 1], 1))
        if saturated:
            scale = LARGEST_Z / np.abs(W @ a + b).max()
            W, b = W * scale, b * scale
        Ws.append(torch.tensor(W, requires_grad=True))
        bs.append(torch.tensor(b, requires_grad=True))
        a = activate(activations[l], Ws[-1] @ torch.tensor(a) + bs[-1]).detach().numpy()
    return Ws, bs


def exact_backprop(cost, activations, Ws, bs, X, Y):
    """delta^l per sample, nabla_w^l and nabla_b^l in exact arithmetic (BP1-BP4 with mpmath)."""
    mpmath.mp.dps = 60
    mpf = lambda M: mpmath.matrix([[mpmath.mpf(float(v)) for v in row] for row in M])
    sigma = {"sigmoid": lambda v: 1 / (1 + mpmath.exp(-v)), "tanh": mpmath.tanh, "relu": lambda v: max(v, 0),
             "leaky_relu": lambda v: v if v > 0 else mpmath.mpf("0.01") * v, "linear": lambda v: v}
    sigma_prime = {"sigmoid": lambda v: mpmath.exp(-v) / (1 + mpmath.exp(-v)) ** 2, "tanh": lambda v: 1 / mpmath.cosh(v) ** 2,
                   "relu": lambda v: mpmath.mpf(v > 0), "leaky_relu": lambda v: mpmath.mpf(1 if v > 0 else "0.01"),
                   "linear": lambda v: mpmath.mpf(1)}
    W, b, A, Ymp = [mpf(w) for w in Ws], [mpf(v) for v in bs], [mpf(X)], mpf(Y)
    n, zs = X.shape[1], []
    for l, name in enumerate(activations):
        z = W[l] * A[-1] + b[l] * mpmath.ones(1, n)
        zs.append(z)
        if name == "softmax":
            e = z.apply(mpmath.exp)
            A.append(mpmath.matrix([[e[i, j] / sum(e[r, j] for r in range(z.rows)) for j in range(n)] for i in range(z.rows)]))
        else:
            A.append(z.apply(sigma[name]))
    a, y, z, output = A[-1], Ymp, zs[-1], activations[-1]
    if (cost, output) in [("cross_entropy", "softmax"), ("binary_cross_entropy", "sigmoid")]:
        delta = a - y  # BP1 where sigma' cancels
    else:
        gradient = {"quadratic": lambda i, j: a[i, j] - y[i, j], "cross_entropy": lambda i, j: -y[i, j] / a[i, j],
                    "binary_cross_entropy": lambda i, j: -(y[i, j] / a[i, j] - (1 - y[i, j]) / (1 - a[i, j]))}[cost]
        g = mpmath.matrix([[gradient(i, j) for j in range(n)] for i in range(a.rows)])
        if output == "softmax":  # the Jacobian product a * (g - a . g), per column
            dot = [sum(a[r, j] * g[r, j] for r in range(a.rows)) for j in range(n)]
            delta = mpmath.matrix([[a[i, j] * (g[i, j] - dot[j]) for j in range(n)] for i in range(a.rows)])
        else:
            delta = mpmath.matrix([[g[i, j] * sigma_prime[output](z[i, j]) for j in range(n)] for i in range(a.rows)])
    deltas = [delta]
    for l in range(len(activations) - 2, -1, -1):  # BP2
        back = W[l + 1].T * deltas[0]
        deltas.insert(0, mpmath.matrix([[back[i, j] * sigma_prime[activations[l]](zs[l][i, j]) for j in range(n)]
                                        for i in range(back.rows)]))
    as_numbers = lambda M: np.array(M.tolist(), dtype=np.float64)
    return {f"exact_{what}{l + 1}": as_numbers(value) for l, d in enumerate(deltas) for what, value in
            [("delta", d), ("nabla_w", d * A[l].T / n), ("nabla_b", d * mpmath.ones(n, 1) / n)]}


def float32_backprop(cost, activations, Ws, bs, X, Y):
    """delta^l, nabla_w^l, nabla_b^l as PyTorch computes them in float32 from the rounded inputs."""
    W = [w.detach().float().requires_grad_() for w in Ws]
    b = [v.detach().float().requires_grad_() for v in bs]
    a, zs = torch.tensor(X, dtype=torch.float32), []
    for l, name in enumerate(activations):
        z = W[l] @ a + b[l]
        z.retain_grad()
        zs.append(z)
        a = activate(name, z)
    per_sample = costs_per_sample(cost, activations[-1], zs[-1], a, Y.float())
    per_sample.sum().backward(retain_graph=True)
    deltas = [z.grad.clone() for z in zs]
    for t in W + b:
        t.grad = None
    per_sample.mean().backward()
    return {f"float32_{what}{l + 1}": value.numpy() for l in range(len(activations))
            for what, value in [("delta", deltas[l]), ("nabla_w", W[l].grad), ("nabla_b", b[l].grad)]}


def make_case(cost, output, layers, batch, saturated, rng, offset):
    sizes = [int(n) for n in rng.integers(2, 6, layers + 1)]
    activations = [HIDDEN[(offset + l) % len(HIDDEN)] for l in range(layers - 1)] + [output]
    X = rng.standard_normal((sizes[0], batch))
    Ws, bs = parameters(sizes, activations, X, saturated, rng)
    Y = torch.tensor(targets(cost, output, sizes[-1], batch, rng))

    zs, as_ = [], [torch.tensor(X)]
    for l in range(layers):
        z = Ws[l] @ as_[-1] + bs[l]
        z.retain_grad()
        zs.append(z)
        as_.append(activate(activations[l], z))
    per_sample = costs_per_sample(cost, output, zs[-1], as_[-1], Y)
    per_sample.sum().backward(retain_graph=True)  # d(sum_x C_x)/dz^l: column x is delta^l of sample x
    deltas = [z.grad.clone() for z in zs]
    for t in Ws + bs:
        t.grad = None
    C = per_sample.mean()
    C.backward()  # the batch cost's gradients, as BP3 and BP4 average them

    case = {"activations": np.array(",".join(activations)), "X": X, "Y": Y.numpy(), "cost": C.detach().numpy()}
    for l in range(layers):
        n = str(l + 1)
        with torch.no_grad():
            W_after, b_after = Ws[l] - ETA * Ws[l].grad, bs[l] - ETA * bs[l].grad
        case.update({"W" + n: Ws[l].detach().numpy(), "b" + n: bs[l].detach().numpy(),
                     "z" + n: zs[l].detach().numpy(), "a" + n: as_[l + 1].detach().numpy(),
                     "delta" + n: deltas[l].numpy(), "nabla_w" + n: Ws[l].grad.numpy(), "nabla_b" + n: bs[l].grad.numpy(),
                     "W_after" + n: W_after.numpy(), "b_after" + n: b_after.numpy()})
    referee = exact_backprop if saturated else float32_backprop
    case.update(referee(cost, activations, Ws, bs, X, Y))
    return case


def main():
    rng = np.random.default_rng(13)
    for p, (cost, output) in enumerate(PAIRINGS):
        arrays = {"eta": np.float64(ETA), "saturated": np.array([k for k, case in enumerate(CASES) if case[2]], dtype=np.float64)}
        for k, (layers, batch, saturated) in enumerate(CASES):
            for name, value in make_case(cost, output, layers, batch, saturated, rng, p + k).items():
                arrays[f"case{k}.{name}"] = value
        np.savez_compressed(f"{cost}-{output}.npz", **arrays)
    print(f"wrote {len(PAIRINGS)} files of {len(CASES)} cases each (torch {torch.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
