"""PyTorch anchor and oracle for the numeric engine (Debian's python3-torch, float64, CPU).

    python3 anchors/pytorch_hessian.py SPEC.json POINT OUTDIR [--time hessian,hvp,eig] [--threads 2]

POINT is a .npy vector of the P parameters, or a vl point file (.json, {"W1[0,0]": "1/2", ...}).

Builds the network of a VerifyLandscape spec (widths, hidden activations, output activation, biases, skip and DAG
wiring, outputBias, shared and frozen parameters, loss, weight decay on weights only, data), with the parameters in vl's order (W1 row-major, b1, W2, b2, ...), and
writes OUTDIR/gradient.npy and OUTDIR/hessian.npy from torch.autograd.functional (hessian is skipped with
--no-hessian). With --time it times, on the same network, the full Hessian (torch.autograd.functional.hessian),
one Hessian-vector product (torch.autograd.functional.hvp) and torch.linalg.eigvalsh, and prints one JSON
line with the seconds and checksums (trace, largest eigenvalue) so the caller can confirm both computed the
same thing.
"""
import argparse
import json
import os
import sys
import time
from fractions import Fraction

import numpy as np
import torch


def number(text):
    return float(Fraction(text)) if isinstance(text, str) else float(text)


def activation(spec):
    name = spec if isinstance(spec, str) else spec["name"]
    if name == "identity":
        return lambda t: t
    if name == "tanh":
        return torch.tanh
    if name == "sigmoid":
        return torch.sigmoid
    if name == "relu":
        return torch.relu
    if name == "swish":
        return lambda t: t * torch.sigmoid(t)
    if name == "softplus":
        beta = number(spec.get("beta", "1")) if isinstance(spec, dict) else 1.0
        return lambda t: torch.nn.functional.softplus(t, beta=beta)
    if name == "leaky-relu":
        alpha = number(spec.get("alpha", "1/100"))
        return lambda t: torch.nn.functional.leaky_relu(t, alpha)
    if name == "polynomial":
        cs = [number(c) for c in spec["coefficients"]]
        return lambda t: sum(c * t ** i for i, c in enumerate(cs))
    raise SystemExit(f"unsupported activation {name}")


DTYPE = torch.float64  # --dtype float32 computes in single precision (as most training code does)
DEVICE = "cpu"  # pytorch_driver.py --device cuda builds the same network on a GPU


def sources(spec, k):
    """The [layer, unit] list layer k reads (`skip` for the output, `reads` for a hidden layer), or None: all of k-1."""
    depth = len(spec["widths"]) - 1
    return spec.get("skip") if k == depth else spec.get("reads", {}).get(str(k))


def layer_shapes(spec):
    """(k, fan-in, has bias) per layer: a layer reads its list of units when the spec gives one, and the output
    has a bias only with bias and outputBias (001's skip networks)."""
    widths = spec["widths"]
    depth = len(widths) - 1
    bias, output_bias = spec.get("bias", True), spec.get("outputBias", True)
    return [(k, len(sources(spec, k)) if sources(spec, k) else widths[k - 1], bias and (k < depth or output_bias))
            for k in range(1, depth + 1)]


def build(spec):
    widths = spec["widths"]
    depth = len(widths) - 1
    if "activations" in spec:
        hiddens = [activation(a) for a in spec["activations"]]
    else:
        hiddens = [activation(spec.get("activation", "identity"))] * (depth - 1)
    output = activation(spec.get("outputActivation", "identity"))
    loss_kind = spec.get("loss", "sse")
    decay = number(spec.get("weightDecay", "0"))
    penalty = spec.get("penalty", {})
    if "l2" in penalty:
        decay = 2 * number(penalty["l2"])  # κ‖W‖² is weight decay 2κ, as vl reads it
    l1 = number(penalty.get("l1", "0"))
    x = torch.tensor([[number(v) for v in row] for row in spec["data"]["x"]], dtype=DTYPE, device=DEVICE)
    m = widths[-1]
    rows = spec["data"]["y"]
    if loss_kind == "cross-entropy" and m > 1 and all(len(r) == 1 for r in rows):  # class labels, as vl reads them
        rows = [[1 if j == int(number(r[0])) else 0 for j in range(m)] for r in rows]
    y = torch.tensor([[number(v) for v in row] for row in rows], dtype=DTYPE, device=DEVICE)
    n = x.shape[0]
    shapes = layer_shapes(spec)

    slots, leader, frozen, free = ties(spec)
    index = {name: i for i, name in enumerate(free)}
    weights = [i for i, name in enumerate(free) if name.startswith("W")]

    def loss(theta):
        # every weight and bias from the free parameters: shared slots read their group's first, frozen ones are fixed
        slot = torch.stack([torch.tensor(frozen[n], dtype=DTYPE, device=DEVICE) if n in frozen else theta[index[leader[n]]] for n in slots])
        acts, at = [x], 0
        for k, fan_in, has_bias in shapes:
            W = slot[at:at + widths[k] * fan_in].reshape(widths[k], fan_in)
            at += widths[k] * fan_in
            listed = sources(spec, k)
            inputs = torch.stack([acts[l][:, u] for l, u in listed], 1) if listed else acts[k - 1]
            z = inputs @ W.T
            if has_bias:
                z = z + slot[at:at + widths[k]]
                at += widths[k]
            acts.append(output(z) if k == depth else hiddens[k - 1](z))
        a = acts[-1]
        if loss_kind == "sse":
            value = ((a - y) ** 2).sum()
        elif loss_kind == "half-sse":
            value = ((a - y) ** 2).sum() / 2
        elif loss_kind == "half-mse":
            value = ((a - y) ** 2).sum() / (2 * n)
        elif loss_kind == "mse":  # 002's F_e: (1/N) Σ ‖·‖², which is PyTorch's mean-reduced MSELoss times m
            value = torch.nn.functional.mse_loss(a, y, reduction="mean") * m
        elif loss_kind == "mae":  # the mean over every entry: PyTorch's mean-reduced L1Loss
            value = torch.nn.functional.l1_loss(a, y, reduction="mean")
        else:
            value = (y.sum(1) * torch.logsumexp(a, 1) - (y * a).sum(1)).sum() / n
        # weight decay and the ℓ1 penalty once per free weight, as vl
        return value + 0.5 * decay * (theta[weights] ** 2).sum() + l1 * theta[weights].abs().sum()

    return loss


def slot_names(spec):
    """Every weight and bias in vl's order: W1[i,j] row-major, b1[i], W2..."""
    widths, names = spec["widths"], []
    for k, fan_in, has_bias in layer_shapes(spec):
        names += [f"W{k}[{i},{j}]" for i in range(widths[k]) for j in range(fan_in)]
        if has_bias:
            names += [f"b{k}[{i}]" for i in range(widths[k])]
    return names


def ties(spec):
    """Slots, each slot's group leader (its first slot), frozen values, and the free parameters (vl's θ)."""
    slots = slot_names(spec)
    leader = {n: n for n in slots}
    for group in spec.get("shared", []):
        first = min(group, key=slots.index)
        for n in group:
            leader[n] = first
    frozen = {n: number(v) for n, v in spec.get("frozen", {}).items()}
    return slots, leader, frozen, [n for n in slots if n not in frozen and leader[n] == n]


def parameter_names(spec):
    """vl's θ, as `vl derive` prints it: the free parameters, each named after its first slot."""
    return ties(spec)[3]


def read_point(path, spec):
    if path.endswith(".npy"):
        return np.load(path)
    with open(path) as f:
        values = json.load(f)
    names = parameter_names(spec)
    missing = [n for n in names if n not in values]
    if missing:
        raise SystemExit(f"{path}: missing {missing[0]}")
    return np.array([number(values[n]) for n in names])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("spec")
    p.add_argument("theta")
    p.add_argument("out")
    p.add_argument("--time", default="")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-hessian", action="store_true")
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    args = p.parse_args()
    global DTYPE
    DTYPE = torch.float32 if args.dtype == "float32" else torch.float64
    torch.set_num_threads(args.threads)
    with open(args.spec) as f:
        spec = json.load(f)
    loss = build(spec)
    theta = torch.tensor(read_point(args.theta, spec), dtype=DTYPE)
    os.makedirs(args.out, exist_ok=True)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "parameters": int(theta.numel())}
    if not args.time:
        t = theta.clone().requires_grad_(True)
        g, = torch.autograd.grad(loss(t), t)
        np.save(os.path.join(args.out, "gradient.npy"), g.detach().numpy())
        if not args.no_hessian:
            h = torch.autograd.functional.hessian(loss, theta)
            np.save(os.path.join(args.out, "hessian.npy"), h.numpy())
        print(json.dumps(result))
        return
    what = args.time.split(",")
    if "hvp" in what:
        v = torch.ones_like(theta)
        torch.autograd.functional.hvp(loss, theta, v)  # warm-up
        start = time.perf_counter()
        _, hv = torch.autograd.functional.hvp(loss, theta, v)
        result["hvpSeconds"] = time.perf_counter() - start
        result["hvpSum"] = float(hv.sum())
    if "hessian" in what or "eig" in what:
        start = time.perf_counter()
        h = torch.autograd.functional.hessian(loss, theta)
        result["hessianSeconds"] = time.perf_counter() - start
        result["trace"] = float(torch.trace(h))
        if "eig" in what:
            start = time.perf_counter()
            ev = torch.linalg.eigvalsh(h)
            result["eigvalshSeconds"] = time.perf_counter() - start
            result["largestEigenvalue"] = float(ev[-1])
            result["smallestEigenvalue"] = float(ev[0])
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
