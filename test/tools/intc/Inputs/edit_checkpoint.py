"""edit_checkpoint.py SRC DST key=value ...  copies the safetensors file SRC
to DST with metadata entries replaced (value '-' deletes the entry).
edit_checkpoint.py --deep N DST  writes a header that nests N JSON arrays.
Used by the bad-checkpoint tests to make files a run could never write."""
import json
import struct
import sys


def write(dst, header_bytes, data=b""):
    header_bytes += b" " * ((8 - (8 + len(header_bytes)) % 8) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)) + header_bytes + data)


if sys.argv[1] == "--deep":
    depth, dst = int(sys.argv[2]), sys.argv[3]
    write(dst, ('{"a":' + "[" * depth + "]" * depth + "}").encode())
    sys.exit(0)

src, dst = sys.argv[1], sys.argv[2]
raw = open(src, "rb").read()
size = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + size])
for item in sys.argv[3:]:
    key, value = item.split("=", 1)
    if value == "-":
        header["__metadata__"].pop(key, None)
    else:
        header["__metadata__"][key] = value
write(dst, json.dumps(header).encode(), raw[8 + size:])
