"""Writes a small MNIST-like IDX dataset (and broken variants) for tests.

usage: make_idx.py DIR [variant]
variants: good, truncated, bad-magic, bad-dims, label-range, gz, corrupt-gz,
          count-mismatch, missing
"""
import gzip
import os
import struct
import sys

out, variant = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "good"
os.makedirs(out, exist_ok=True)


def images(n, magic=0x803, dims=(28, 28)):
    head = struct.pack(">I", magic) + struct.pack(">I", n)
    head += b"".join(struct.pack(">I", d) for d in dims)
    body = bytes((i * 37 + j * 11) % 256 for i in range(n) for j in range(dims[0] * dims[1]))
    return head + body


def labels(n, bad=False):
    body = bytes((i % 10) if not (bad and i == 5) else 12 for i in range(n))
    return struct.pack(">II", 0x801, n) + body


files = {
    "train-images-idx3-ubyte": images(128),
    "train-labels-idx1-ubyte": labels(128),
    "t10k-images-idx3-ubyte": images(64),
    "t10k-labels-idx1-ubyte": labels(64),
}
if variant == "truncated":
    files["train-images-idx3-ubyte"] = files["train-images-idx3-ubyte"][:1000]
elif variant == "bad-magic":
    files["train-images-idx3-ubyte"] = images(128, magic=0x903)
elif variant == "bad-dims":
    files["train-images-idx3-ubyte"] = images(128, dims=(32, 32))
elif variant == "label-range":
    files["train-labels-idx1-ubyte"] = labels(128, bad=True)
elif variant == "count-mismatch":
    files["train-labels-idx1-ubyte"] = labels(100)
elif variant == "missing":
    del files["t10k-labels-idx1-ubyte"]

for name, data in files.items():
    if variant in ("gz", "corrupt-gz"):
        data = gzip.compress(data)
        if variant == "corrupt-gz" and name == "train-images-idx3-ubyte":
            data = data[:20] + bytes(len(data) - 40) + data[-20:]
        name += ".gz"
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
