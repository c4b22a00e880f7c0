"""Training curves of an ``intc train -o RUN_DIR`` run.

    python3 -m intc.plot RUN_DIR [-o FILE]   # FILE: .png or .svg,
                                              # default RUN_DIR/curves.png
    intc.plot.plot_run(run_dir, out=None)     # -> matplotlib Figure

Reads RUN_DIR/metrics.jsonl, the run's history (its schema is in
runtime/host/Metrics.h), and draws per epoch the running train accuracy, the
test accuracy (the reference's measure), the test accuracy of every block's
head, and lr_inv on a second, logarithmic panel. A resumed run appends to
the history: its invocations read as one run, and an epoch logged twice (by
a run killed before its checkpoint, then again by the resume) counts once,
with its last record.

The log holds integer counts only; the percentages are computed here, for
display. Figures are drawn with the Agg canvas, without pyplot, so nothing
here needs a display or changes the caller's matplotlib backend.
"""

import argparse
import json
import math
import os
import sys

METRICS_FILE = "metrics.jsonl"
DEFAULT_OUTPUT = "curves.png"
FORMATS = (".png", ".svg")
# 1000 x 650 pixels at DPI for PNG.
FIGSIZE = (10.0, 6.5)
DPI = 100


class PlotError(Exception):
    """What intc plot reports: a metrics log that is missing or malformed,
    or a picture format it cannot write; the message names the file."""


class RunCurves:
    """What plot_run draws, one list entry per epoch in increasing order.

    Accuracies are percentages (NaN where the epoch has no measure);
    heads[i] is block i's head.
    """

    def __init__(self):
        self.model = ""
        self.dataset = ""
        self.target = ""
        self.seed = None
        self.invocations = 0  # "start" events: 2 or more after a resume.
        self.epochs = []
        self.train = []
        self.test = []
        self.heads = []
        self.lr_inv = []


def _percent(correct, seen):
    return 100.0 * correct / seen if seen else math.nan


def _integer(record, key, where):
    value = record.get(key)
    # bool is an int in Python; the log never writes one for a count.
    if not isinstance(value, int) or isinstance(value, bool):
        raise PlotError(f"{where}: \"{key}\" is missing or not an integer")
    return value


def _counts(record, key, where):
    value = record.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise PlotError(f"{where}: \"{key}\" is not a list of integers")
    return value


def load_run(run_dir):
    """Reads RUN_DIR/metrics.jsonl into a RunCurves.

    Raises PlotError, naming the file (and line), when it is missing,
    unreadable, malformed, or has no finished epoch.
    """
    path = os.path.join(run_dir, METRICS_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except OSError as e:
        raise PlotError(
            f"{path}: cannot read the run's metrics ({e.strerror or e}); "
            "is RUN_DIR the -o directory of an intc train run?"
        ) from e

    run = RunCurves()
    by_epoch = {}
    for number, line in enumerate(lines, 1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as e:
            raise PlotError(f"{where}: not a JSON object: {e}") from e
        if not isinstance(record, dict) or not isinstance(record.get("event"), str):
            raise PlotError(f"{where}: not an event (a JSON object with \"event\")")
        event = record["event"]
        if event == "start":
            # The latest invocation names the run (the same model and data:
            # a resume checks them against the checkpoint).
            run.invocations += 1
            run.model = str(record.get("model", run.model))
            run.dataset = str(record.get("dataset", run.dataset))
            run.target = str(record.get("target", run.target))
            run.seed = record.get("seed", run.seed)
        elif event == "epoch":
            epoch = _integer(record, "epoch", where)
            for key in ("train_correct", "train_seen", "test_correct", "test_seen",
                        "lr_inv"):
                _integer(record, key, where)
            _counts(record, "head_test_correct", where)
            by_epoch[epoch] = record  # The last record of an epoch wins.

    if not by_epoch:
        raise PlotError(f"{path}: no epoch has finished yet (no \"epoch\" event)")

    num_heads = max(len(r.get("head_test_correct", [])) for r in by_epoch.values())
    run.heads = [[] for _ in range(num_heads)]
    for epoch in sorted(by_epoch):
        r = by_epoch[epoch]
        run.epochs.append(epoch)
        run.train.append(_percent(r["train_correct"], r["train_seen"]))
        run.test.append(_percent(r["test_correct"], r["test_seen"]))
        heads = r.get("head_test_correct", [])
        for i in range(num_heads):
            run.heads[i].append(
                _percent(heads[i], r["test_seen"]) if i < len(heads) else math.nan
            )
        run.lr_inv.append(r["lr_inv"])
    return run


def _accuracy_limits(series):
    """Around the finite values, within [0, 100]: a multiple of 5 below
    (room under the lowest curve), the next whole percent above.

    With 4 or more epochs the first is left out: its running train accuracy
    (and the heads' first scores) start far below the rest and would squeeze
    every later difference into a sliver; plot_run marks what it cuts off.
    """
    skip = 1 if len(series[0]) >= 4 else 0
    values = [v for s in series for v in s[skip:] if not math.isnan(v)]
    if not values:
        return 0.0, 100.0
    low = max(0.0, 5.0 * math.floor((min(values) - 1.0) / 5.0))
    high = min(100.0, float(math.ceil(max(values) + 1.0)))
    return low, high


def _title(run):
    title = f"{run.model or 'model'} on {run.dataset or 'unknown data'}"
    details = []
    if run.target:
        details.append(f"target {run.target}")
    if run.seed is not None:
        details.append(f"seed {run.seed}")
    details.append(f"{len(run.epochs)} epoch{'s' if len(run.epochs) != 1 else ''}")
    if run.invocations > 1:
        details.append(f"resumed {run.invocations - 1}x")
    return title, ", ".join(details)


def _format(out):
    """The picture's extension, .png or .svg."""
    extension = os.path.splitext(out)[1].lower()
    if extension not in FORMATS:
        raise PlotError(f"{out}: the picture must be a .png or .svg file")
    return extension


def _save(fig, out):
    import matplotlib

    svg = _format(out) == ".svg"
    # SVG text stays text (searchable, styled by the viewer's fonts), and
    # the file does not change from one run to the next.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "intc"}):
        fig.savefig(out, dpi=DPI, metadata={"Date": None} if svg else None)


def plot_run(run_dir, out=None):
    """Draws the curves of RUN_DIR and returns the matplotlib Figure.

    With out (a .png or .svg path) the figure is also saved there.
    Axes: fig.axes[0] holds the accuracies (train, test, then one line per
    head, in that order), fig.axes[1] lr_inv.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

    if out is not None:
        _format(out)  # Before any work.
    run = load_run(run_dir)
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    acc, lr = fig.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [3.2, 1]}
    )
    markers = len(run.epochs) <= 30
    marker = {"marker": "o", "markersize": 3.5} if markers else {}

    # The network's own curves stay on top of the heads'.
    acc.plot(run.epochs, run.train, color="0.45", linestyle="--", linewidth=1.6,
             label="train (running)", zorder=3, **marker)
    acc.plot(run.epochs, run.test, color="black", linewidth=2.4,
             label="test", zorder=3, **marker)
    for i, values in enumerate(run.heads):
        # Ten distinct colours; deeper models shade from the first block to
        # the last instead.
        if len(run.heads) <= 10:
            color = f"C{i}"
        else:
            color = matplotlib.colormaps["viridis"](i / (len(run.heads) - 1))
        acc.plot(run.epochs, values, color=color, linewidth=1.4, alpha=0.9,
                 label=f"block {i} head (test)", **marker)
    acc.set_ylabel("accuracy (%)")
    low, high = _accuracy_limits([run.train, run.test] + run.heads)
    acc.set_ylim(low, high)
    # A value below the axis (the first epoch's) is written at its foot.
    for line in acc.get_lines():
        below = [(x, y) for x, y in zip(run.epochs, line.get_ydata())
                 if y < low]
        for x, y in below[:1]:
            stacked = sum(1 for a in acc.texts if a.xy[0] == x)
            acc.annotate(f"{y:.1f}% \u2193", xy=(x, low),
                         xytext=(4, 3 + 11 * stacked),
                         textcoords="offset points", fontsize=8,
                         color=line.get_color())
    acc.grid(True, color="0.88", linewidth=0.8)
    acc.set_axisbelow(True)
    # Outside the plot, so it never covers a curve.
    acc.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
               frameon=False, title="accuracy")

    lr.step(run.epochs, run.lr_inv, where="mid", color="C3", linewidth=1.8,
            label="lr_inv")
    lr.set_yscale("log")
    levels = sorted(set(run.lr_inv))
    lr.yaxis.set_major_locator(FixedLocator(levels))
    lr.yaxis.set_minor_locator(NullLocator())
    lr.set_yticklabels([str(v) for v in levels])
    low, high = levels[0], levels[-1]
    lr.set_ylim(low / 1.6, high * 1.6)
    lr.set_ylabel("lr_inv (log)")
    lr.set_xlabel("epoch")
    lr.grid(True, axis="y", color="0.88", linewidth=0.8)
    lr.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
              frameon=False)
    lr.xaxis.set_major_locator(MaxNLocator(integer=True))
    first, last = run.epochs[0], run.epochs[-1]
    lr.set_xlim(first - 0.5, last + 0.5)

    title, details = _title(run)
    fig.suptitle(title, fontsize=14)
    acc.set_title(details, fontsize=10, color="0.3")
    if out is not None:
        _save(fig, out)
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="intc plot",
        description="Plot the per-epoch accuracies (train, test, every block's "
        "head) and lr_inv of an intc train run from RUN_DIR/metrics.jsonl.",
    )
    parser.add_argument("run_dir", metavar="RUN_DIR",
                        help="the -o directory of intc train")
    parser.add_argument("-o", dest="out", metavar="FILE",
                        help="the picture, .png or .svg (default: "
                        f"RUN_DIR/{DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    out = args.out or os.path.join(args.run_dir, DEFAULT_OUTPUT)
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print(f"intc plot: error: matplotlib is not installed for "
              f"{sys.executable} (Debian: apt install python3-matplotlib)",
              file=sys.stderr)
        return 3
    try:
        plot_run(args.run_dir, out)
    except PlotError as e:
        print(f"intc plot: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"intc plot: error: {out}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"intc plot: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
