"""Writes a small synthetic dataset in the formats `intc train -data=PATH` reads.

usage: make_user_data.py OUT FORMAT [variant]

Four classes of 16x16 images: class k is bright in quadrant k (jittered by up
to 2 pixels, with noise), so a tiny model separates them in a few epochs. The
data is seeded and so identical on every run.

FORMAT (OUT is the file or folder written):
  npz          OUT.npz with x_train (N, 16, 16) uint8, y_train, x_test, y_test,
               class_names
  npz-nhwc     the same as RGB images (N, 16, 16, 3), int8, int64 labels
  folder       OUT/train/<class>/*.png and OUT/test/<class>/*.png, grayscale
  folder-rgb   the same as RGB JPEGs and PNGs (mixed, some with alpha)
  idx          OUT/train-images-idx3-ubyte.gz, ... (MNIST layout, 16x16)
  idx-nhwc     OUT/train-images.idx (N, 16, 16, 3), test-images.idx,
               int16 labels

variants (errors, for data-errors.test):
  truncated-png   folder with one PNG cut in half
  empty-class     folder whose last train class folder holds no image
  big-image       folder with one 20x20 image
  rgb-image       folder with one RGB image among grayscale ones
  five-classes    folder with 5 train class folders
  bad-zip         npz whose bytes are not a zip archive
  float-npz       npz whose x_train is float32
  missing-key     npz without y_test
"""
import gzip
import io
import os
import struct
import sys
import zipfile

import numpy as np
from PIL import Image

SIZE = 16
CLASSES = ["north-west", "north-east", "south-west", "south-east"]


def make_split(rng, n):
    """n grayscale images (n, 16, 16) uint8 and their labels."""
    labels = np.arange(n) % len(CLASSES)
    rng.shuffle(labels)
    images = rng.integers(0, 60, size=(n, SIZE, SIZE)).astype(np.int32)
    for i, k in enumerate(labels):
        top = (k // 2) * 8 + rng.integers(-2, 3)
        left = (k % 2) * 8 + rng.integers(-2, 3)
        t, l = max(top, 0), max(left, 0)
        images[i, t:top + 8, l:left + 8] += 150
    return np.clip(images, 0, 255).astype(np.uint8), labels.astype(np.uint8)


def colour(images):
    """(n, 16, 16) -> (n, 16, 16, 3): a different tint per channel."""
    return np.stack([images, images // 2 + 40, 255 - images], axis=-1).astype(np.uint8)


def save_png(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path)


def write_folder(out, splits, rgb=False, variant=None):
    for split, (images, labels) in splits.items():
        for i, (image, label) in enumerate(zip(images, labels)):
            if variant == "five-classes" and split == "train" and i == 0:
                label_name = "extra"
            else:
                label_name = CLASSES[label]
            base = os.path.join(out, split, label_name, "%04d" % i)
            if rgb:
                pixels = colour(image[None])[0]
                if i % 3 == 0:
                    os.makedirs(os.path.dirname(base), exist_ok=True)
                    Image.fromarray(pixels).save(base + ".jpg", quality=95)
                elif i % 3 == 1:
                    alpha = np.full((SIZE, SIZE, 1), 255, np.uint8)
                    save_png(base + ".PNG", np.concatenate([pixels, alpha], -1))
                else:
                    save_png(base + ".png", pixels)
            else:
                save_png(base + ".png", image)
    train = os.path.join(out, "train")
    if variant == "truncated-png":
        path = os.path.join(train, CLASSES[1], sorted(os.listdir(os.path.join(train, CLASSES[1])))[0])
        data = open(path, "rb").read()
        open(path, "wb").write(data[: len(data) // 2])
    elif variant == "empty-class":
        empty = os.path.join(train, CLASSES[3])
        for name in os.listdir(empty):
            os.remove(os.path.join(empty, name))
        open(os.path.join(empty, "notes.txt"), "w").write("no images\n")
    elif variant == "big-image":
        save_png(os.path.join(train, CLASSES[2], "big.png"), np.zeros((20, 20), np.uint8))
    elif variant == "rgb-image":
        save_png(os.path.join(train, CLASSES[3], "colour.png"), np.zeros((SIZE, SIZE, 3), np.uint8))
    # Hidden files and other extensions are ignored.
    open(os.path.join(train, CLASSES[0], ".DS_Store"), "w").write("x")
    open(os.path.join(train, CLASSES[0], "labels.csv"), "w").write("x")


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def write_npz(out, arrays, variant=None):
    if variant == "bad-zip":
        open(out, "wb").write(b"PK\x03\x04" + bytes(200))
        return
    if variant == "float-npz":
        arrays["x_train"] = arrays["x_train"].astype(np.float32) / 255
    if variant == "missing-key":
        del arrays["y_test"]
    np.savez_compressed(out, **arrays)


def idx_bytes(array):
    codes = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09,
             np.dtype(np.int16): 0x0B, np.dtype(np.int32): 0x0C}
    head = struct.pack(">BBBB", 0, 0, codes[array.dtype], array.ndim)
    head += b"".join(struct.pack(">I", d) for d in array.shape)
    return head + array.astype(array.dtype.newbyteorder(">")).tobytes()


def main():
    out, fmt = sys.argv[1], sys.argv[2]
    variant = sys.argv[3] if len(sys.argv) > 3 else None
    rng = np.random.default_rng(20240607)
    x_train, y_train = make_split(rng, 320)
    x_test, y_test = make_split(rng, 96)
    splits = {"train": (x_train, y_train), "test": (x_test, y_test)}

    if fmt in ("folder", "folder-rgb"):
        write_folder(out, splits, rgb=fmt == "folder-rgb", variant=variant)
    elif fmt == "npz":
        write_npz(out, {"x_train": x_train, "y_train": y_train, "x_test": x_test,
                        "y_test": y_test, "class_names": np.array(CLASSES)}, variant)
    elif fmt == "npz-nhwc":
        def signed(images):
            return (colour(images).astype(np.int16) - 128).astype(np.int8)
        write_npz(out, {"x_train": signed(x_train), "y_train": y_train.astype(np.int64),
                        "x_test": signed(x_test), "y_test": y_test.astype(np.int64)}, variant)
    elif fmt == "idx":
        os.makedirs(out, exist_ok=True)
        for name, array in [("train-images-idx3-ubyte", x_train), ("train-labels-idx1-ubyte", y_train),
                            ("t10k-images-idx3-ubyte", x_test), ("t10k-labels-idx1-ubyte", y_test)]:
            open(os.path.join(out, name + ".gz"), "wb").write(gzip.compress(idx_bytes(array), mtime=0))
    elif fmt == "idx-nhwc":
        os.makedirs(out, exist_ok=True)
        for name, array in [("train-images.idx", colour(x_train)), ("train-labels.idx", y_train.astype(np.int16)),
                            ("test-images.idx", colour(x_test)), ("test-labels.idx", y_test.astype(np.int16))]:
            open(os.path.join(out, name), "wb").write(idx_bytes(array))
    else:
        sys.exit("unknown format " + fmt)


if __name__ == "__main__":
    main()
