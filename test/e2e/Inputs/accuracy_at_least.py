"""Checks a run's best test accuracy against a floor, in integers.

usage: accuracy_at_least.py summary.json FLOOR_BASIS_POINTS
Exits 1 (and says "no") when 10000 * correct < floor * seen.
"""
import json
import sys

summary = json.load(open(sys.argv[1]))
floor = int(sys.argv[2])
correct, seen = summary["best_test_correct"], summary["test_seen"]
ok = 10000 * correct >= floor * seen
print(f"accuracy {correct}/{seen} >= {floor // 100}.{floor % 100:02d}%: {'yes' if ok else 'no'}")
sys.exit(0 if ok else 1)
