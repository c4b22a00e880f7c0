#!/usr/bin/env python3
"""A scaling model on paper for data-parallel intc training on P nodes.

Per training step, every node computes the gradients of its shard of the
global batch B (B/P samples) and the nodes all-reduce the int64 gradient sums
(BYTES per step, the same for any P). With a ring all-reduce of M bytes over
P nodes, each node sends and receives 2(P-1)/P * M bytes in 2(P-1) rounds:

    t_allreduce = 2 (P-1)/P * M / bandwidth + 2 (P-1) * latency

and the compute time of a step shrinks as t_compute(B)/P (the measured
one-node step time divided by P; no better than one sample per node). The
step takes t_compute/P + t_allreduce without overlap, max(...) with perfect
overlap. A model stops scaling where t_allreduce reaches t_compute/P: adding
nodes then buys nothing.

usage: scaling_model.py MEASURED.json
  MEASURED.json: {"models": [{"name": ..., "step_s": <one node, batch B>,
                  "batch": B, "bytes": <all-reduced per step>}, ...]}
"""
import json
import sys

NODES = (8, 16, 64)
NETWORKS = (("25 Gb/s", 25e9 / 8), ("100 Gb/s", 100e9 / 8))
LATENCY_S = 5e-6  # per message round, a typical RDMA/TCP figure


def allreduce_s(nbytes, p, bandwidth):
    return 2 * (p - 1) / p * nbytes / bandwidth + 2 * (p - 1) * LATENCY_S


def main():
    measured = json.load(open(sys.argv[1]))
    print("| model | bytes/step | 1-node step | network | nodes | compute/step | all-reduce | "
          "speed-up (no overlap) | speed-up (overlap) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for m in measured["models"]:
        step, batch, nbytes = m["step_s"], m["batch"], m["bytes"]
        for net, bandwidth in NETWORKS:
            for p in NODES:
                compute = step / min(p, batch)
                comm = allreduce_s(nbytes, p, bandwidth)
                print("| %s | %.1f MB | %.1f ms | %s | %d | %.2f ms | %.2f ms | %.1fx | %.1fx |" % (
                    m["name"], nbytes / 1e6, 1e3 * step, net, p, 1e3 * compute,
                    1e3 * comm, step / (compute + comm), step / max(compute, comm)))
    print()
    for m in measured["models"]:
        for net, bandwidth in NETWORKS:
            stop = next((p for p in range(2, 4097)
                         if allreduce_s(m["bytes"], p, bandwidth) >= m["step_s"] / min(p, m["batch"])),
                        None)
            print("%s on %s: the all-reduce outgrows the per-node compute at %s nodes" % (
                m["name"], net, stop if stop else "> 4096"))


if __name__ == "__main__":
    main()
