"""Compares the tensors (not the metadata) of two safetensors files.

Prints "same tensors" and exits 0 when every tensor has the same name,
dtype, shape and bytes; otherwise names the first difference and exits 1.
"""
import json
import struct
import sys


def load(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    return {k: (v["dtype"], v["shape"], data[v["data_offsets"][0]:v["data_offsets"][1]])
            for k, v in header.items()}


a, b = load(sys.argv[1]), load(sys.argv[2])
if a.keys() != b.keys():
    print("different tensor names:", sorted(a), sorted(b))
    sys.exit(1)
for name in sorted(a):
    if a[name] != b[name]:
        print("tensor", name, "differs")
        sys.exit(1)
print("same tensors:", len(a))
