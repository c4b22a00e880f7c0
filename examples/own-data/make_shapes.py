#!/usr/bin/env python3
"""Writes a small image-folder dataset of synthetic shapes, for intc's
"your own data" example:

    OUT/train/<class>/NNNN.png   OUT/test/<class>/NNNN.png

Four classes (circle, cross, square, triangle), 28x28 grayscale, each shape
at a random place and size, drawn with a random brightness on a noisy
background. Deterministic for a given --seed. Also writes OUT/samples/, a few
test images as raw 784-byte files (what a camera or sensor driver would hand
to firmware) for the C example.

usage: make_shapes.py OUT [--train N] [--test N] [--seed S]
"""
import argparse
import os

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ["circle", "cross", "square", "triangle"]
SIZE = 28


def draw(kind, rng):
    img = Image.fromarray(rng.integers(0, 70, size=(SIZE, SIZE), dtype=np.uint8))
    d = ImageDraw.Draw(img)
    r = int(rng.integers(6, 11))
    cx, cy = (int(v) for v in rng.integers(r + 1, SIZE - r - 1, size=2))
    ink = int(rng.integers(160, 256))
    width = int(rng.integers(2, 4))
    box = [cx - r, cy - r, cx + r, cy + r]
    if kind == "circle":
        d.ellipse(box, outline=ink, width=width)
    elif kind == "square":
        d.rectangle(box, outline=ink, width=width)
    elif kind == "triangle":
        d.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], outline=ink)
        d.line([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r), (cx, cy - r)],
               fill=ink, width=width)
    else:  # cross
        d.line([(cx - r, cy - r), (cx + r, cy + r)], fill=ink, width=width)
        d.line([(cx - r, cy + r), (cx + r, cy - r)], fill=ink, width=width)
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--train", type=int, default=500, help="images per class")
    ap.add_argument("--test", type=int, default=100, help="images per class")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    for split, count in (("train", a.train), ("test", a.test)):
        for kind in CLASSES:
            folder = os.path.join(a.out, split, kind)
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                draw(kind, rng).save(os.path.join(folder, "%04d.png" % i))
    samples = os.path.join(a.out, "samples")
    os.makedirs(samples, exist_ok=True)
    for kind in CLASSES:
        img = np.asarray(Image.open(os.path.join(a.out, "test", kind, "0000.png")))
        img.astype(np.uint8).tofile(os.path.join(samples, kind + ".raw"))
    print("wrote %s: %d train and %d test images of %d classes (%s)" % (
        a.out, a.train * len(CLASSES), a.test * len(CLASSES), len(CLASSES),
        ", ".join(CLASSES)))


if __name__ == "__main__":
    main()
