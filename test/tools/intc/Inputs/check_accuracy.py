"""Fails unless a training run's final test accuracy reaches a floor.

usage: check_accuracy.py RUN_DIR/summary.json MIN_PERCENT
"""
import json
import sys

summary = json.load(open(sys.argv[1]))
floor = float(sys.argv[2])
correct, seen = summary["final_test_correct"], summary["final_test_seen"]
accuracy = 100.0 * correct / seen if seen else 0.0
print("final test accuracy %.2f%% (%d/%d), floor %.2f%%" % (accuracy, correct, seen, floor))
sys.exit(0 if accuracy >= floor else 1)
