#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets: test/fuzz/corpus/<target>/.

The seeds are small valid files of every variant each reader handles (the
fuzzer mutates them into invalid ones): IDX of every type, raw / gzip / xz;
CIFAR-10 batches; .npy of every dtype and header version; .npz stored and
deflated; PNG and JPEG of every colour type; array-to-image specs; real
training checkpoints of the checkpoint target's tiny model; and the model
pieces of examples/*.mlir and test/**/*.mlir. Everything is deterministic
(fixed zip and gzip timestamps), so rerunning the script changes nothing.

    test/fuzz/make-corpora.py [--build build-fuzz] [TARGET...]

With --build, the checkpoint seeds come from
`INTC_FUZZ_WRITE_SEEDS=DIR <build>/bin/intc-fuzz-checkpoint`, and the model
seeds are reduced with libFuzzer's -merge=1 to those that add coverage;
without it those two targets are skipped. Needs NumPy and Pillow (Debian:
python3-numpy, python3-pil; scripts/install-deps.sh installs both).
"""

import argparse
import gzip
import io
import lzma
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    path = os.path.join(CORPUS, target, name)
    with open(path, "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


def xz(data):
    return lzma.compress(data, format=lzma.FORMAT_XZ)


def rng(seed):
    return np.random.default_rng(seed)


# --- IDX -------------------------------------------------------------------

IDX_TYPES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C}


def idx(array):
    array = np.asarray(array)
    code = IDX_TYPES[array.dtype.type]
    head = bytes([0, 0, code, array.ndim])
    dims = b"".join(struct.pack(">I", d) for d in array.shape)
    return head + dims + array.astype(array.dtype.newbyteorder(">")).tobytes()


def make_idx():
    r = rng(1)
    images = r.integers(0, 256, (3, 4, 4), dtype=np.uint8)
    labels = np.array([0, 9, 4], dtype=np.uint8)
    write("idx", "images-u8-3x4x4.idx", idx(images))
    write("idx", "images-u8-3x4x4.idx.gz", gz(idx(images)))
    write("idx", "images-u8-3x4x4.idx.xz", xz(idx(images)))
    write("idx", "labels-u8-3.idx", idx(labels))
    write("idx", "labels-u8-3.idx.gz", gz(idx(labels)))
    # Two gzip members form one file.
    raw = idx(labels)
    write("idx", "labels-two-members.idx.gz", gz(raw[:5]) + gz(raw[5:]))
    write("idx", "array-i8-2x3.idx", idx(r.integers(-128, 128, (2, 3), dtype=np.int8)))
    write("idx", "array-i16-5.idx", idx(r.integers(-30000, 30000, 5, dtype=np.int16)))
    write("idx", "array-i32-1x2x1x2.idx.xz",
          xz(idx(r.integers(-2**31, 2**31, (1, 2, 1, 2), dtype=np.int32))))
    write("idx", "array-u8-0x3.idx", idx(np.zeros((0, 3), dtype=np.uint8)))
    # Float data: a header the general reader refuses with a message.
    write("idx", "array-f32-2.idx", bytes([0, 0, 0x0D, 1, 0, 0, 0, 2]) + bytes(8))


# --- CIFAR-10 -------------------------------------------------------------

def make_cifar10():
    r = rng(2)
    records = b""
    for label in (3, 9):
        records += bytes([label]) + r.integers(0, 256, 3072, dtype=np.uint8).tobytes()
    write("cifar10", "two-records.bin", records)
    write("cifar10", "two-records.bin.xz", xz(records))
    write("cifar10", "one-record.bin.gz", gz(records[:3073]))
    # Compressible: a large batch whose xz is small.
    flat = (bytes([1]) + bytes(3072)) * 4
    write("cifar10", "four-flat-records.bin.xz", xz(flat))


# --- .npy -----------------------------------------------------------------

def npy(array, version=None, fortran=False):
    out = io.BytesIO()
    array = np.asfortranarray(array) if fortran else np.asarray(array)
    np.lib.format.write_array(out, array, version=version, allow_pickle=False)
    return out.getvalue()


def make_npy():
    r = rng(3)
    write("npy", "u1-2x3x3.npy", npy(r.integers(0, 256, (2, 3, 3), dtype=np.uint8)))
    write("npy", "i1-4.npy", npy(r.integers(-128, 128, 4, dtype=np.int8)))
    write("npy", "i2-le-2x2.npy", npy(r.integers(-9, 9, (2, 2)).astype("<i2")))
    write("npy", "i4-be-3.npy", npy(r.integers(-9, 9, 3).astype(">i4")))
    write("npy", "u8-2.npy", npy(np.array([1, 2**63 + 5], dtype="<u8")))
    write("npy", "i8-labels-5.npy", npy(np.array([0, 1, 2, 9, 3], dtype="<i8")))
    write("npy", "u2-1x1.npy", npy(np.array([[65535]], dtype="<u2")))
    write("npy", "b1-3.npy", npy(np.array([True, False, True])))
    write("npy", "scalar-u4.npy", npy(np.array(7, dtype="<u4")))
    write("npy", "empty-0x3.npy", npy(np.zeros((0, 3), dtype=np.uint8)))
    write("npy", "fortran-2x2.npy", npy(np.arange(4, dtype=np.uint8).reshape(2, 2), fortran=True))
    write("npy", "v2-u1-3.npy", npy(np.array([1, 2, 3], dtype=np.uint8), version=(2, 0)))
    write("npy", "v3-u1-2.npy", npy(np.array([1, 2], dtype=np.uint8), version=(3, 0)))
    write("npy", "strings-U5.npy", npy(np.array(["cat", "dog", "ünï"], dtype="<U5")))
    write("npy", "strings-S3.npy", npy(np.array([b"a", b"bc", b"def"], dtype="S3")))
    write("npy", "f4-2.npy", npy(np.array([0.5, 1.5], dtype="<f4")))
    write("npy", "u1-2x2.npy.gz", gz(npy(np.arange(4, dtype=np.uint8).reshape(2, 2))))
    write("npy", "i1-3.npy.xz", xz(npy(np.array([-1, 0, 1], dtype=np.int8))))


# --- .npz -----------------------------------------------------------------

def npz(arrays, compressed):
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as z:
        for key, array in arrays.items():
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, npy(array))
    return out.getvalue()


def make_npz():
    r = rng(4)
    data = {
        "x_train": r.integers(0, 256, (4, 1, 2, 2), dtype=np.uint8),
        "y_train": np.array([0, 1, 2, 1], dtype=np.int64),
        "x_test": r.integers(0, 256, (2, 1, 2, 2), dtype=np.uint8),
        "y_test": np.array([2, 0], dtype=np.uint8),
    }
    write("npz", "dataset-stored.npz", npz(data, False))
    write("npz", "dataset-deflated.npz", npz(data, True))
    named = dict(data, class_names=np.array(["zero", "one", "two"]))
    write("npz", "dataset-class-names.npz", npz(named, True))
    write("npz", "nhwc-int8.npz",
          npz({"x_train": r.integers(-128, 128, (2, 2, 2, 3), dtype=np.int8),
               "y_train": np.array([1, 0], dtype=np.int32)}, False))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("dir/", date_time=(1980, 1, 1, 0, 0, 0)), b"")
        z.writestr(zipfile.ZipInfo("a.npy", date_time=(1980, 1, 1, 0, 0, 0)),
                   npy(np.array([5], dtype=np.uint8)))
        z.writestr(zipfile.ZipInfo("a", date_time=(1980, 1, 1, 0, 0, 0)),
                   npy(np.array([6], dtype=np.uint8)))
    write("npz", "directory-and-duplicate.npz", out.getvalue())


# --- PNG and JPEG ---------------------------------------------------------

def image_bytes(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def make_image():
    r = rng(5)
    gray = Image.fromarray(r.integers(0, 256, (5, 6), dtype=np.uint8), "L")
    rgb = Image.fromarray(r.integers(0, 256, (4, 7, 3), dtype=np.uint8), "RGB")
    write("image", "gray8.png", image_bytes(gray, "PNG"))
    write("image", "gray16.png",
          image_bytes(Image.fromarray(r.integers(0, 65536, (3, 3), dtype=np.uint16), "I;16"), "PNG"))
    write("image", "gray1.png", image_bytes(gray.convert("1"), "PNG"))
    write("image", "gray-alpha.png", image_bytes(gray.convert("LA"), "PNG"))
    write("image", "rgb.png", image_bytes(rgb, "PNG"))
    write("image", "rgba.png", image_bytes(rgb.convert("RGBA"), "PNG"))
    write("image", "palette.png", image_bytes(rgb.convert("P"), "PNG"))
    write("image", "palette-trns.png",
          image_bytes(rgb.convert("P"), "PNG", transparency=0))
    write("image", "rgb-interlaced.png", image_bytes(rgb, "PNG", interlace=1))
    write("image", "gray.jpg", image_bytes(gray, "JPEG", quality=90))
    write("image", "rgb-420.jpg", image_bytes(rgb, "JPEG", quality=90))
    write("image", "rgb-444-progressive.jpg",
          image_bytes(rgb, "JPEG", quality=90, subsampling=0, progressive=True))
    write("image", "cmyk.jpg", image_bytes(rgb.convert("CMYK"), "JPEG"))


# --- Arrays to images -----------------------------------------------------

def spec(layout, c, h, w, classes):
    """The 7-byte model description of ArrayImagesFuzzer.cpp."""
    return struct.pack("<BHBBH", layout, c - 1, h - 1, w - 1, classes)


def make_array_images():
    r = rng(6)
    u8 = lambda *shape: npy(r.integers(0, 256, shape, dtype=np.uint8))
    write("array-images", "mnist-like-nhw.bin", spec(0, 1, 4, 4, 10) + u8(3, 4, 4))
    write("array-images", "nchw-3x2x2.bin", spec(0, 3, 2, 2, 10) + u8(2, 3, 2, 2))
    write("array-images", "nhwc-3x2x2.bin", spec(0, 3, 2, 2, 10) + u8(2, 2, 2, 3))
    write("array-images", "forced-nhwc-cube.bin", spec(2, 2, 2, 2, 10) + u8(1, 2, 2, 2))
    write("array-images", "forced-nchw.bin", spec(1, 3, 2, 2, 10) + u8(1, 3, 2, 2))
    write("array-images", "flat-features.bin", spec(0, 16, 1, 1, 10) + u8(2, 16))
    write("array-images", "flat-from-images.bin", spec(0, 16, 1, 1, 10) + u8(2, 4, 4))
    write("array-images", "flat-from-nhwc.bin", spec(2, 12, 1, 1, 10) + u8(2, 2, 2, 3))
    write("array-images", "int8-images.bin",
          spec(0, 1, 2, 2, 10) + npy(r.integers(-128, 128, (2, 2, 2), dtype=np.int8)))
    write("array-images", "labels-i8.bin",
          spec(0, 1, 2, 2, 10) + npy(np.array([0, 9, 3], dtype="<i8")))
    write("array-images", "labels-256-classes.bin",
          spec(0, 1, 2, 2, 256) + npy(np.array([255, 0], dtype=np.uint8)))


# --- Checkpoints (written by the fuzz target itself) ----------------------

def make_checkpoint(build):
    exe = os.path.join(build, "bin", "intc-fuzz-checkpoint")
    out = os.path.join(CORPUS, "checkpoint")
    env = dict(os.environ, INTC_FUZZ_WRITE_SEEDS=out)
    subprocess.run([exe], env=env, check=True, stdout=subprocess.DEVNULL)


# --- Models ---------------------------------------------------------------

def model_pieces():
    """Every `// -----` piece of the repository's .mlir files, without
    comment lines, that uses the intc dialect."""
    files = []
    for top in ("examples", "test"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, top)):
            if os.path.join("test", "fuzz") in dirpath:
                continue
            files += [os.path.join(dirpath, n) for n in names if n.endswith(".mlir")]
    pieces = {}
    for path in sorted(files):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for i, piece in enumerate(re.split(r"^// -----.*$", text, flags=re.M)):
            lines = [l for l in piece.splitlines() if not l.lstrip().startswith("//")]
            body = "\n".join(lines).strip() + "\n"
            if "intc." in body and len(body) <= 4096:
                rel = os.path.relpath(path, ROOT).replace(os.sep, "_")
                pieces.setdefault(body, "%s-%d.mlir" % (rel[:-5], i))
    return pieces


def make_model(build):
    exe = os.path.join(build, "bin", "intc-fuzz-model")
    with tempfile.TemporaryDirectory() as candidates:
        for body, name in model_pieces().items():
            with open(os.path.join(candidates, name), "w", encoding="utf-8") as f:
                f.write(body)
        out = os.path.join(CORPUS, "model")
        # -set_cover_merge=1 keeps a small set of pieces with all their
        # coverage, under libFuzzer's names (content hashes).
        subprocess.run([exe, "-set_cover_merge=1", out, candidates], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


MAKERS = {
    "idx": make_idx,
    "cifar10": make_cifar10,
    "npy": make_npy,
    "npz": make_npz,
    "image": make_image,
    "array-images": make_array_images,
    "checkpoint": make_checkpoint,
    "model": make_model,
}
NEEDS_BUILD = {"checkpoint", "model"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", help="the INTC_FUZZ=ON build folder")
    parser.add_argument("targets", nargs="*", help="default: all")
    args = parser.parse_args()
    for target in args.targets or MAKERS:
        if target not in MAKERS:
            sys.exit("make-corpora: unknown target '%s'" % target)
        if target in NEEDS_BUILD and not args.build:
            print("make-corpora: %s: skipped (needs --build)" % target)
            continue
        folder = os.path.join(CORPUS, target)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        if target in NEEDS_BUILD:
            MAKERS[target](args.build)
        else:
            MAKERS[target]()
        print("make-corpora: %s: %d seeds" % (target, len(os.listdir(folder))))


if __name__ == "__main__":
    main()
