"""intc: integer-only, backpropagation-free (NITRO-D) training.

The pure-Python side of intc. ``intc.plot`` draws a training run's curves
from its ``metrics.jsonl``; it needs only matplotlib, not the compiler.
"""
