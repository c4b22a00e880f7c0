"""intc: integer-only, backpropagation-free training (NITRO-D), compiled.

    import intc
    model = intc.compile("examples/mlp1_mnist.mlir")       # or the model's text
    model.train(x, y, epochs=10, seed=42, x_test=xt, y_test=yt)
    model.evaluate(xt, yt)        # {'correct': ..., 'seen': ..., 'accuracy': ...}
    classes, scores = model.predict(xt)
    model.save("run/model.safetensors")     # the same file as `intc train -o run`
    import intc.plot
    intc.plot.plot_run("run")     # a run's curves (matplotlib; `intc plot`)

Images are uint8 or int8 NumPy arrays, NCHW or NHWC (the model's input shape
decides, ``layout=`` forces one), labels any integer array. The compiled code
is the same as the `intc` tool's, so training here gives the CLI's weights bit
for bit. Errors raise :class:`IntcError` with the CLI's messages.
"""

import os as _os

try:
    from ._intc import IntcError, Model
    from ._intc import _compile
except ImportError as _err:  # pragma: no cover - a build without pybind11
    _import_error = _err

    def __getattr__(name):
        if name in ("IntcError", "Model", "compile"):
            raise ImportError(
                "intc's compiled extension (_intc) is not built; configure "
                "with pybind11 (Debian: pybind11-dev) and build the "
                "'intc-python' target") from _import_error
        raise AttributeError(name)
else:

    def compile(path_or_source, target="cpu", batch=None, model=None,
                cache=True):
        """Parses, verifies and compiles a model; returns a :class:`Model`.

        ``path_or_source`` is a model file (str or path-like) or the model's
        text in the intc dialect. ``target`` is ``"cpu"`` (JIT, the default)
        or ``"ref"`` (the runtime/c reference). ``batch`` is the compiled
        batch size (default: the model's, 64 in the examples). ``model``
        picks one model of a file that holds several. With ``cache`` (the
        default), the compiled code comes from and goes to the compile cache
        that ``intc train`` uses (``$INTC_CACHE_DIR``, else
        ``$XDG_CACHE_HOME/intc`` or ``~/.cache/intc``): the same model
        compiles once.
        """
        text = _os.fspath(path_or_source) if isinstance(
            path_or_source, _os.PathLike) else path_or_source
        if not isinstance(text, str):
            raise TypeError("compile() takes a path or the model's text")
        is_source = "intc.model" in text
        return _compile(text, is_source, target, int(batch or 0), model or "",
                        bool(cache))


__all__ = ["IntcError", "Model", "compile"]
