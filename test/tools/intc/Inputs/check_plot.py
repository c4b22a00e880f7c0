"""Checks the pictures of `intc plot`: a valid PNG of the expected size and
an SVG whose labels, legend (one entry per head) and title are text.

usage: check_plot.py PNG SVG MODEL DATASET HEADS
"""
import struct
import sys
import xml.etree.ElementTree as ET

png, svg, model, dataset, heads = sys.argv[1:6]
heads = int(heads)

with open(png, "rb") as f:
    data = f.read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
length, kind = struct.unpack(">I4s", data[8:16])
assert kind == b"IHDR" and length == 13, "no IHDR chunk first"
width, height = struct.unpack(">II", data[16:24])
assert data[-8:-4] == b"IEND", "no IEND chunk last"
print(f"PNG {width}x{height}")

texts = [
    "".join(e.itertext()).strip()
    for e in ET.parse(svg).iter()
    if e.tag.endswith("}text") or e.tag == "text"
]
want = ["accuracy (%)", "epoch", "lr_inv (log)", "train (running)", "test",
        "lr_inv", f"{model} on {dataset}"]
want += [f"block {i} head (test)" for i in range(heads)]
for text in want:
    assert text in texts, f"SVG has no text {text!r}: {texts}"
entries = [t for t in texts if t.startswith("block ") and t.endswith(" head (test)")]
assert len(entries) == heads, f"{len(entries)} head entries, want {heads}"
print(f"SVG text: {', '.join(want)}")
