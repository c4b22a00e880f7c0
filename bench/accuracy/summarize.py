"""Summarises bench/accuracy runs into a Markdown table (integers only until
the final formatting): per seed the best test accuracy on the reference's
9,984 images, its epoch, the epochs run and the wall time; then the mean.

usage: summarize.py RUN_DIR...   (each holding seed*/summary.json)
"""
import glob
import json
import os
import sys


def pct(c, n, digits=2):
    # Round half up in integers, as intc prints it.
    scale = 10 ** digits
    basis = (c * 200 * scale + n) // (2 * n)
    return f"{basis // scale}.{basis % scale:0{digits}d}"


print("| config | seed | best test acc. (9,984) | best epoch | epochs run | final lr_inv | all 10,000 (final) | train time | total time |")
print("|---|---|---|---|---|---|---|---|---|")
for d in sys.argv[1:]:
    rows = []
    for f in sorted(glob.glob(os.path.join(d, "seed*", "summary.json"))):
        s = json.load(open(f))
        rows.append(s)
        print(f"| {s['model']} | {s['seed']} | {pct(s['best_test_correct'], s['test_seen'])}% "
              f"| {s['best_epoch']} | {s['epochs_run']} | {s['final_lr_inv']} "
              f"| {pct(s['final_test_correct'], s['final_test_seen'])}% "
              f"| {s['train_ms'] // 1000} s | {s['elapsed_ms'] // 1000} s |")
    if rows:
        c = sum(r["best_test_correct"] for r in rows)
        n = sum(r["test_seen"] for r in rows)
        # Three decimals too: the targets sit within 0.01 pp of some means.
        print(f"| **{rows[0]['model']} mean ({len(rows)} seeds)** | | **{pct(c, n)}%** ({pct(c, n, 3)}) | | | | | | |")
