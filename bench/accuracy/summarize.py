"""Summarises bench/accuracy runs into a Markdown table (integers only until
the final formatting): per seed the best test accuracy on the reference's
9,984 images, its epoch, the epochs run and the wall time; then the mean.
For the configs ALGORITHM.md §9.2 publishes, a second table compares the
mean with the reference's 10-seed mean: the difference and its 95%
confidence interval (Welch's t, unequal variances). This is reporting
only, so it may use floats.

usage: summarize.py RUN_DIR...   (each holding seed*/summary.json)
"""
import glob
import json
import os
import math
import sys

# ALGORITHM.md §9.2: the reference's mean, sample std (ddof 1), min and max
# over its 10 seeds (42-51), in percent.
REFERENCE = {
    "mlp1_mnist": (97.363, 0.120, 97.095, 97.536),
    "mlp2_fmnist": (88.661, 0.241, 88.401, 89.052),
    "mlp3_mnist": (98.277, 0.045, 98.197, 98.337),
    "mlp3_fmnist": (89.134, 0.217, 88.822, 89.473),
    "mlp4_cifar10": (61.031, 0.314, 60.477, 61.428),
    "vgg8b_mnist": (99.450, 0.028, 99.419, 99.509),
    "vgg8b_fmnist": (93.659, 0.210, 93.359, 94.000),
    "vgg8b_cifar10": (87.956, 0.205, 87.690, 88.221),
    "vgg11b_cifar10": (87.391, 0.337, 86.989, 88.141),
}
REFERENCE_SEEDS = 10

# Two-sided 95% quantiles of Student's t by degrees of freedom (rounded
# down to the next tabulated value, so the interval is never too narrow).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447,
        7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179,
        13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101,
        19: 2.093, 20: 2.086, 22: 2.074, 24: 2.064, 26: 2.056, 28: 2.048,
        30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def t975(df):
    return T975[max(k for k in T975 if k <= max(1, math.floor(df)))]


def compare(model, accs):
    """One row of the reference comparison, or None without a reference.
    One seed has no spread of its own, so no interval: its row says where
    it falls against the reference seeds' range instead."""
    if model not in REFERENCE or not accs:
        return None
    ref_mean, ref_sd, ref_min, ref_max = REFERENCE[model]
    n = len(accs)
    mean = sum(accs) / n
    span = f"{ref_min:.3f}–{ref_max:.3f}"
    if n == 1:
        where = ("below" if mean < ref_min else
                 "above" if mean > ref_max else "within")
        return (f"| {model} | 1 | {mean:.3f} | {ref_mean:.3f} (s {ref_sd:.3f}) "
                f"| {mean - ref_mean:+.3f} | — | — (one seed: {where} {span}) |")
    sd = math.sqrt(sum((a - mean) ** 2 for a in accs) / (n - 1))
    va, vb = sd * sd / n, ref_sd * ref_sd / REFERENCE_SEEDS
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (n - 1) + vb * vb / (REFERENCE_SEEDS - 1))
    half = t975(df) * se
    diff = mean - ref_mean
    return (f"| {model} | {n} | {mean:.3f} (s {sd:.3f}) | {ref_mean:.3f} (s {ref_sd:.3f}) "
            f"| {diff:+.3f} | {se:.3f} | [{diff - half:+.3f}, {diff + half:+.3f}] "
            f"(reference seeds {span}) |")


def pct(c, n, digits=2):
    # Round half up in integers, as intc prints it.
    scale = 10 ** digits
    basis = (c * 200 * scale + n) // (2 * n)
    return f"{basis // scale}.{basis % scale:0{digits}d}"


comparisons = []
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
        seeds = "seeds" if len(rows) > 1 else "seed"
        # Three decimals too: the targets sit within 0.01 pp of some means.
        print(f"| **{rows[0]['model']} mean ({len(rows)} {seeds})** | | **{pct(c, n)}%** ({pct(c, n, 3)}) | | | | | | |")
        row = compare(rows[0]["model"],
                      [100 * r["best_test_correct"] / r["test_seen"] for r in rows])
        if row:
            comparisons.append(row)

if comparisons:
    print()
    print("| config | seeds | intc mean % | reference mean % | difference (pp) | standard error | 95% CI of the difference |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(comparisons))
