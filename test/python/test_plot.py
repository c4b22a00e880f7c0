"""intc.plot on hand-written metrics logs: the axes, their lines and values.

Run by test/python/plot.test with PYTHONPATH=build/python.
"""

import json
import math
import struct
import sys

import pytest
from matplotlib.text import Text

from intc import plot


def start(**fields):
    event = {"event": "start", "schema": 1, "command": "train",
             "model": "mlp", "dataset": "mnist", "target": "cpu", "seed": 42,
             "epochs": 4, "batch_size": 64, "train_images": 60000,
             "test_images": 10000, "lr_inv": 512}
    event.update(fields)
    return event


def epoch(number, train, test, lr_inv=512, heads=None, test_seen=9984):
    event = {"event": "epoch", "epoch": number, "epochs": 4,
             "train_correct": train, "train_seen": 59968,
             "test_correct": test, "test_seen": test_seen, "lr_inv": lr_inv,
             "best_epoch": number}
    if heads is not None:
        event["head_test_correct"] = heads
    return event


def write(run_dir, events, tail=""):
    with open(run_dir / plot.METRICS_FILE, "w") as f:
        for event in events:
            f.write(json.dumps(event) + "\n")
        f.write(tail)
    return run_dir


def ydata(line):
    return [float(v) for v in line.get_ydata()]


def percent(correct, seen):
    return 100.0 * correct / seen


def texts(fig):
    return [t.get_text() for t in fig.findobj(Text)]


def test_axes_lines_and_values(tmp_path):
    events = [start(),
              epoch(1, 50000, 9000, heads=[8800, 8900]),
              epoch(2, 55000, 9400, heads=[9100, 9300]),
              {"event": "lr_change", "epoch": 2, "old_lr_inv": 512,
               "new_lr_inv": 1536},
              epoch(3, 57000, 9600, lr_inv=1536, heads=[9200, 9500]),
              {"event": "summary", "epochs_run": 3}]
    fig = plot.plot_run(write(tmp_path, events))
    accuracy, lr = fig.axes[0], fig.axes[1]

    assert accuracy.get_ylabel() == "accuracy (%)"
    assert lr.get_xlabel() == "epoch"
    assert lr.get_ylabel() == "lr_inv (log)"
    assert lr.get_yscale() == "log"

    lines = accuracy.get_lines()
    assert [l.get_label() for l in lines] == [
        "train (running)", "test", "block 0 head (test)", "block 1 head (test)"]
    for line in lines:
        assert list(line.get_xdata()) == [1, 2, 3]
    assert ydata(lines[0]) == [percent(c, 59968) for c in (50000, 55000, 57000)]
    assert ydata(lines[1]) == [percent(c, 9984) for c in (9000, 9400, 9600)]
    assert ydata(lines[2]) == [percent(c, 9984) for c in (8800, 9100, 9200)]
    assert ydata(lines[3]) == [percent(c, 9984) for c in (8900, 9300, 9500)]
    legend = [t.get_text() for t in accuracy.get_legend().get_texts()]
    assert legend == [l.get_label() for l in lines]

    (lr_line,) = lr.get_lines()
    assert list(lr_line.get_xdata()) == [1, 2, 3]
    assert ydata(lr_line) == [512, 512, 1536]

    # Every curve is inside the accuracy axis.
    low, high = accuracy.get_ylim()
    assert 0 <= low <= min(min(ydata(l)) for l in lines)
    assert max(max(ydata(l)) for l in lines) <= high <= 100
    assert "mlp on mnist" in texts(fig)


def test_resumed_log_is_one_curve(tmp_path):
    # The first run logged epoch 2 but was killed before its checkpoint; the
    # resume trained epoch 2 again: its last record counts.
    events = [start(epochs=2),
              epoch(1, 50000, 9000, heads=[8800]),
              epoch(2, 1, 1, heads=[1]),
              start(epochs=4, resumed_after_epoch=1, resumed_at_step=937),
              epoch(2, 55000, 9400, heads=[9100]),
              epoch(3, 57000, 9600, heads=[9200]),
              epoch(4, 58000, 9700, lr_inv=1536, heads=[9300])]
    run = plot.load_run(write(tmp_path, events))
    assert run.epochs == [1, 2, 3, 4]
    assert run.invocations == 2
    fig = plot.plot_run(tmp_path)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3
    assert ydata(lines[1]) == [percent(c, 9984) for c in (9000, 9400, 9600, 9700)]
    assert ydata(lines[2]) == [percent(c, 9984) for c in (8800, 9100, 9200, 9300)]
    assert ydata(fig.axes[1].get_lines()[0]) == [512, 512, 512, 1536]


def test_first_epoch_outlier_is_cut_off_and_labelled(tmp_path):
    # A first running train accuracy of 50% would squeeze 90-97% into a
    # sliver: the axis follows the later epochs and labels the cut value.
    events = [start()] + [
        epoch(e, train, test, heads=[test + 10])
        for e, train, test in [(1, 29984, 8500), (2, 54000, 9200),
                               (3, 55400, 9300), (4, 56000, 9400)]]
    fig = plot.plot_run(write(tmp_path, events))
    accuracy = fig.axes[0]
    low, high = accuracy.get_ylim()
    assert percent(29984, 59968) < low <= percent(54000, 59968)
    assert high >= percent(9400, 9984)
    assert [t.get_text() for t in accuracy.texts] == ["50.0% \u2193"]


def test_without_heads_and_without_test_passes(tmp_path):
    events = [start(), epoch(1, 50000, 0, test_seen=0),
              epoch(2, 55000, 0, test_seen=0)]
    fig = plot.plot_run(write(tmp_path, events))
    lines = fig.axes[0].get_lines()
    assert [l.get_label() for l in lines] == ["train (running)", "test"]
    assert all(math.isnan(v) for v in ydata(lines[1]))


def test_saves_png_and_svg(tmp_path):
    write(tmp_path, [start(), epoch(1, 50000, 9000, heads=[8800, 8900, 9000])])
    png, svg = tmp_path / "curves.png", tmp_path / "curves.svg"
    plot.plot_run(tmp_path, str(png))
    plot.plot_run(tmp_path, str(svg))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (plot.FIGSIZE[0] * plot.DPI,
                               plot.FIGSIZE[1] * plot.DPI)
    text = svg.read_text()
    # svg.fonttype none: labels are <text>, not glyph paths.
    for label in ("accuracy (%)", "lr_inv (log)", "block 2 head (test)",
                  "mlp on mnist"):
        assert f">{label}</text>" in text


@pytest.mark.parametrize("content, message", [
    (None, "cannot read the run's metrics"),
    ("", "no epoch has finished yet"),
    ('{"event": "epoch", "epoch": 1}\n', ':1: "train_correct" is missing'),
    ('{"event": "start"}\n[1, 2]\n', ":2: not an event"),
    ('{"event": "start"}\n{"event": \n', ":2: not a JSON object"),
    ('{"event": "epoch", "epoch": 1, "train_correct": 1, "train_seen": 2, '
     '"test_correct": 1, "test_seen": 2, "lr_inv": 8, '
     '"head_test_correct": [1, "x"]}\n', "not a list of integers"),
])
def test_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / plot.METRICS_FILE
    if content is not None:
        path.write_text(content)
    with pytest.raises(plot.PlotError) as error:
        plot.plot_run(tmp_path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_command_line(tmp_path, capsys):
    write(tmp_path, [start(), epoch(1, 50000, 9000, heads=[8800])])
    assert plot.main([str(tmp_path)]) == 0
    assert (tmp_path / plot.DEFAULT_OUTPUT).exists()
    assert "wrote" in capsys.readouterr().out
    assert plot.main([str(tmp_path), "-o", str(tmp_path / "c.pdf")]) == 1
    assert ".png or .svg" in capsys.readouterr().err
    assert plot.main([str(tmp_path / "none")]) == 1
    assert "metrics.jsonl" in capsys.readouterr().err


def test_missing_matplotlib_is_a_clear_error(tmp_path, monkeypatch, capsys):
    write(tmp_path, [start(), epoch(1, 50000, 9000)])
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails
    assert plot.main([str(tmp_path)]) == 3
    assert "matplotlib is not installed" in capsys.readouterr().err
