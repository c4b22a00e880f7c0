"""For decompressed-data-cache.test (test/tools/intc).

gzip_data.py DIR                 replaces every file of DIR by FILE.gz
gzip_data.py --flip-data DIR     flips a payload byte of DIR's largest
                                 entry of decompressed data (not code, not
                                 a decoded split)
gzip_data.py --flip-split DIR    the same in DIR's largest decoded split
gzip_data.py --regzip DIR        compresses every FILE.gz of DIR again with
                                 another header time: the same data in
                                 other compressed bytes
gzip_data.py --invert DIR        rewrites DIR's train-images*.gz with every
                                 pixel v as 255 - v: other data, same sizes
"""
import gzip
import os
import sys

HEADER = 88  # lib/Target/Common/CompileCache.h


def kind(path):
    with open(path, "rb") as f:
        head = f.read(HEADER + 14)[HEADER:]
    if head == b"intc-host-code":
        return "code"
    if head.startswith(b"INTCSPLT"):  # runtime/host/SplitCache.h
        return "split"
    return "data"


if sys.argv[1] in ("--flip-data", "--flip-split"):
    want = "split" if sys.argv[1] == "--flip-split" else "data"
    d = sys.argv[2]
    entries = [os.path.join(d, f) for f in os.listdir(d) if f.endswith(".entry")]
    path = max((e for e in entries if kind(e) == want), key=os.path.getsize)
    data = bytearray(open(path, "rb").read())
    data[HEADER + (len(data) - HEADER) // 2] ^= 0x01
    open(path, "wb").write(bytes(data))
elif sys.argv[1] == "--invert":
    d = sys.argv[2]
    for name in os.listdir(d):
        if name.startswith("train-images"):
            path = os.path.join(d, name)
            data = gzip.decompress(open(path, "rb").read())
            data = data[:16] + bytes(255 - v for v in data[16:])
            open(path, "wb").write(gzip.compress(data, mtime=0))
elif sys.argv[1] == "--regzip":
    d = sys.argv[2]
    for name in os.listdir(d):
        path = os.path.join(d, name)
        data = gzip.decompress(open(path, "rb").read())
        open(path, "wb").write(gzip.compress(data, mtime=1))
else:
    d = sys.argv[1]
    for name in os.listdir(d):
        path = os.path.join(d, name)
        with open(path, "rb") as f, open(path + ".gz", "wb") as out:
            out.write(gzip.compress(f.read(), mtime=0))
        os.remove(path)
