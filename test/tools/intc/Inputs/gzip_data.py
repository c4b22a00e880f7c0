"""For decompressed-data-cache.test (test/tools/intc).

gzip_data.py DIR                 replaces every file of DIR by FILE.gz
gzip_data.py --flip-data DIR     flips a payload byte of DIR's largest
                                 entry of decompressed data (not code)
gzip_data.py --regzip DIR        compresses every FILE.gz of DIR again with
                                 another header time: the same data in
                                 other compressed bytes
"""
import gzip
import os
import sys

HEADER = 88  # lib/Target/Common/CompileCache.h


def is_code(path):
    with open(path, "rb") as f:
        return f.read(HEADER + 14)[HEADER:] == b"intc-host-code"


if sys.argv[1] == "--flip-data":
    d = sys.argv[2]
    entries = [os.path.join(d, f) for f in os.listdir(d) if f.endswith(".entry")]
    path = max((e for e in entries if not is_code(e)), key=os.path.getsize)
    data = bytearray(open(path, "rb").read())
    data[HEADER + (len(data) - HEADER) // 2] ^= 0x01
    open(path, "wb").write(bytes(data))
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
