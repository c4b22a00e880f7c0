"""Checks what `intc model.mlir -target=c|cpu -weights=CKPT -o DIR` compiled
in against the checkpoint itself: the header's normalisation statistics and
class names, and <model>_weights.c's trained state (the checkpoint's tensors
in state order).

usage: check_trained_header.py CKPT HEADER WEIGHTS_C
"""
import json
import re
import struct
import sys

ckpt, header_path, weights_path = sys.argv[1:4]
with open(ckpt, "rb") as f:
    blob = f.read()
(n,) = struct.unpack("<Q", blob[:8])
meta = json.loads(blob[8:8 + n])
data = blob[8 + n:]
info = meta.pop("__metadata__")
tensors = sorted(meta.values(), key=lambda t: t["data_offsets"][0])
state = []
for t in tensors:
    assert t["dtype"] == "I32", t
    begin, end = t["data_offsets"]
    state += struct.unpack("<%di" % ((end - begin) // 4), data[begin:end])

header = open(header_path).read()


def macro_list(name):
    m = re.search(r"#define \w+_NORM_%s \{ ([-0-9, ]*) \}" % name, header)
    assert m, "no %s in the header" % name
    return "[" + m.group(1) + "]"


assert macro_list("MEAN") == info["norm_mean"], (macro_list("MEAN"), info["norm_mean"])
assert macro_list("MAD") == info["norm_mad"], (macro_list("MAD"), info["norm_mad"])
names = re.search(r"#define \w+_CLASS_NAMES \{ (.*) \}", header)
if "class_names" in info:
    assert names, "no class names in the header"
    assert json.loads("[" + names.group(1) + "]") == json.loads(info["class_names"])
else:
    assert not names, "class names in the header, none in the checkpoint"

body = open(weights_path).read()
values = [int(v) for v in re.findall(r"-?\d+", body[body.index("= {"):])]
assert values == state, "weights.c differs from the checkpoint's %d weights" % len(state)
print("trained header OK: %d weights, mean %s, MAD %s" % (len(state), info["norm_mean"], info["norm_mad"]))
