"""Prints a training run's per-epoch curve as Markdown tables, the form
bench/accuracy/README.md reports the long runs in: per epoch the test
accuracy on the reference's 9,984 images, the running train accuracy, the
learning-rate divisor and (with --minutes) the epoch's wall time. Integers
until the final formatting.

usage: epochs.py RUN [--from N] [--to N] [--per N] [--minutes]

RUN is a run directory (intc train -o DIR keeps every epoch, across
-resume, in DIR/metrics.jsonl) or a metrics JSONL file. An epoch recorded
twice (a run resumed from before its last record) counts once, the later
record winning.
"""
import argparse
import json
import os
import sys


def load_epochs(run):
    path = os.path.join(run, "metrics.jsonl") if os.path.isdir(run) else run
    epochs = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit("%s:%d: not a JSON record: %s" % (path, n, e.msg))
            if rec.get("event") == "epoch":
                epochs[rec["epoch"]] = rec
    return [epochs[e] for e in sorted(epochs)]


def percent(num, den):
    # Two decimals, rounded half up, from integers.
    hundredths = (20000 * num + den) // (2 * den)
    return "%d.%02d" % divmod(hundredths, 100)


def tables(recs, per, minutes):
    out = []
    for i in range(0, len(recs), per):
        chunk = recs[i:i + per]

        def row(name, cell):
            out.append("| %s | %s |" % (name, " | ".join(map(cell, chunk))))

        row("epoch", lambda r: str(r["epoch"]))
        out.append("|---|" + "---|" * len(chunk))
        row("test % (9,984)",
            lambda r: percent(r["test_correct"], r["test_seen"]))
        row("train % (running)",
            lambda r: percent(r["train_correct"], r["train_seen"]))
        row("lr_inv", lambda r: str(r["lr_inv"]))
        if minutes:
            row("minutes", lambda r: "%d.%d" % divmod(
                (r["epoch_ms"] + 3000) // 6000, 10))
        out.append("")
    return "\n".join(out).rstrip("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run")
    ap.add_argument("--from", dest="first", type=int, default=1)
    ap.add_argument("--to", dest="last", type=int, default=None)
    ap.add_argument("--per", type=int, default=14,
                    help="epochs per table (default 14)")
    ap.add_argument("--minutes", action="store_true",
                    help="add each epoch's wall time")
    args = ap.parse_args()
    if args.per < 1:
        ap.error("--per must be at least 1")
    try:
        recs = load_epochs(args.run)
    except OSError as e:
        sys.exit("%s: %s" % (args.run, e.strerror))
    recs = [r for r in recs if r["epoch"] >= args.first and
            (args.last is None or r["epoch"] <= args.last)]
    if not recs:
        sys.exit("%s: no epoch in the range asked for" % args.run)
    print(tables(recs, args.per, args.minutes))


if __name__ == "__main__":
    main()
