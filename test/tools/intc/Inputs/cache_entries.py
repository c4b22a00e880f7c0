"""Looks at and damages compile cache entries (lib/Target/Common/CompileCache.h)
for test/tools/intc/compile-cache.test.

Only code entries count: the decoded data splits the runs store are skipped.

usage: cache_entries.py list DIR         entries, temporaries; checks headers
       cache_entries.py flip DIR         flips one payload byte of the entry
       cache_entries.py truncate DIR N   keeps the entry's first N bytes
       cache_entries.py garbage DIR      replaces the entry with text
       cache_entries.py foreign DIR SRC  puts an entry of SRC (another key)
                                         under the name of DIR's entry
       cache_entries.py run N CMD...     runs N copies of CMD at once ({i} in
                                         an argument becomes the copy's index)
"""
import os
import struct
import subprocess
import sys

HEADER = 88


def is_data(path):
    """A data entry (a decoded split: runtime/host/SplitCache.h), which the
    runs of the test also store; only code entries are looked at here."""
    with open(path, "rb") as f:
        return f.read(HEADER + 8)[HEADER:] == b"INTCSPLT"


def entries(d):
    return sorted(f for f in os.listdir(d)
                  if f.endswith(".entry") and not is_data(os.path.join(d, f)))


def the_entry(d):
    found = entries(d)
    if len(found) != 1:
        sys.exit("expected one entry in %s, found %d" % (d, len(found)))
    return os.path.join(d, found[0])


def check_header(path):
    """The fields a reader checks, but the checksum (BLAKE3)."""
    data = open(path, "rb").read()
    name = os.path.basename(path)[:-len(".entry")]
    if len(data) < HEADER:
        return "short"
    magic, version, size = data[:8], *struct.unpack("<II", data[8:16])
    key = data[16:48].hex()
    payload = struct.unpack("<Q", data[48:56])[0]
    if magic != b"INTCACHE" or version != 1 or size != HEADER:
        return "bad header"
    if key != name:
        return "key %s is not the file name" % key
    if payload != len(data) - HEADER:
        return "payload %d != %d" % (payload, len(data) - HEADER)
    if not data[HEADER:].startswith(b"intc-host-code 2\n"):
        return "bad payload"
    return "ok"


cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "list":
    d = args[0]
    names = entries(d)
    temps = [f for f in os.listdir(d) if ".tmp-" in f]
    states = [check_header(os.path.join(d, f)) for f in names]
    print("cache: %d entries (%s), %d temporaries" %
          (len(names), ", ".join(states) or "none", len(temps)))
elif cmd == "flip":
    path = the_entry(args[0])
    data = bytearray(open(path, "rb").read())
    data[(HEADER + len(data)) // 2] ^= 0x40
    open(path, "wb").write(data)
elif cmd == "truncate":
    path = the_entry(args[0])
    data = open(path, "rb").read()
    open(path, "wb").write(data[:int(args[1])])
elif cmd == "garbage":
    open(the_entry(args[0]), "w").write("not a cache entry\n" * 10)
elif cmd == "foreign":
    path = the_entry(args[0])
    other = [f for f in entries(args[1]) if f != os.path.basename(path)]
    open(path, "wb").write(open(os.path.join(args[1], other[0]), "rb").read())
elif cmd == "run":
    n, command = int(args[0]), args[1:]
    procs = [subprocess.Popen([a.replace("{i}", str(i)) for a in command],
                              stdout=subprocess.DEVNULL)
             for i in range(n)]
    codes = [p.wait() for p in procs]
    print("ran %d at once, exit codes %s" % (n, codes))
else:
    sys.exit("unknown command " + cmd)
