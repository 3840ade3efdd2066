"""vnconv on Dask: a text column of a Dask DataFrame repaired partition by partition, and folders of files
converted on a cluster, with the report records ``vnconv convert --report`` writes.

>>> import dask.dataframe as dd, vnconv.dask           # doctest: +SKIP
>>> ddf["title"] = vnconv.dask.repair_column(ddf["title"])
>>> records = vnconv.dask.convert_files(["a.doc", "b.xlsx"], "out/").compute()

Needs ``pip install 'vnconv[dask]'``. Each partition is read as its own document (what a partition holds —
which charsets, whether soft hyphens were lost — helps its cells; nothing is collected on the driver). On a
``dask.distributed`` cluster each worker process loads vnconv's tables once, on first use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .documents import FORMATS, Options, Result
from .pipelines.columns import repair_column as _repair_column

__all__ = ["convert_files", "convert_one", "output_path", "repair_column", "repair_partition"]


def _dask() -> Any:
    try:
        import dask
        import dask.bag
        import dask.dataframe
    except ImportError as exc:  # pragma: no cover - the extra is installed by make test
        raise ImportError("vnconv.dask needs Dask: pip install 'vnconv[dask]'") from exc
    return dask


def repair_partition(part: Any, options: dict[str, Any] | None = None) -> Any:
    """Repair one pandas partition (a Series, or every text column of a DataFrame) as one document."""
    options = options or {}
    if hasattr(part, "columns"):
        out = part.copy()
        for name in part.columns:
            if part[name].dtype == object or str(part[name].dtype).startswith(("string", "category", "str")):
                out[name] = _repair_column(part[name], **options)
        return out
    return _repair_column(part, **options)


def repair_column(column: Any, **options: Any) -> Any:
    """Repair a Dask Series (or the text columns of a Dask DataFrame) lazily, one partition a document.

    The result has the input's meta (dtype, name, index); None, NaN and numbers stay as they are. ``options``
    as :func:`vnconv.repair`.
    """
    _dask()
    return column.map_partitions(repair_partition, options, meta=column._meta)


# -- files ------------------------------------------------------------------------------------------------
def output_path(src: str | os.PathLike[str], out_dir: str | os.PathLike[str], root: str | None = None) -> Path:
    """Where the conversion of ``src`` goes in ``out_dir`` (its path below ``root`` kept; .doc -> .docx)."""
    src_p = Path(src)
    rel = Path(os.path.relpath(src_p, root)) if root else Path(src_p.name)
    if FORMATS.get(src_p.suffix.lower()) == "office":
        rel = rel.with_suffix(".docx" if src_p.suffix.lower() == ".doc" else ".xlsx")
    return Path(out_dir) / rel


def convert_one(src: str, dst: str, options: dict[str, Any] | None = None, overwrite: bool = False) -> dict[str, Any]:
    """Convert one file on a worker; its report record (``error`` set, never raised, for a bad file)."""
    from .documents import convert_file
    from .errors import VnconvError

    options = dict(options or {})
    src_p, dst_p = Path(src), Path(dst)
    try:
        if dst_p.exists() and not overwrite:
            raise FileExistsError(f"{dst} exists (pass overwrite=True to replace it)")
        dst_p.parent.mkdir(parents=True, exist_ok=True)
        result = convert_file(src_p, dst_p, Options(**options))  # writes atomically: temp file + rename
    except (VnconvError, OSError, ValueError, UnicodeError) as exc:
        fmt = FORMATS.get(src_p.suffix.lower(), "text")
        result = Result(path=str(src), format=fmt, error=str(exc))
    return result.to_json()


def convert_files(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    root: str | None = None,
    overwrite: bool = False,
    npartitions: int | None = None,
    **options: Any,
) -> Any:
    """A Dask bag of the report records of converting ``paths`` into ``out_dir`` (compute it to run).

    ``root``: keep each file's path below it in ``out_dir`` (default: file names only). A file that fails
    gives a record with ``error`` set; the others go on.
    """
    dask = _dask()
    items: Sequence[tuple[str, str]] = [(str(p), str(output_path(p, out_dir, root))) for p in paths]
    bag = dask.bag.from_sequence(items, npartitions=npartitions or max(1, min(len(items), 64)))
    return bag.map(_convert_item, options=options, overwrite=overwrite)


def _convert_item(item: tuple[str, str], options: dict[str, Any], overwrite: bool) -> dict[str, Any]:
    return convert_one(item[0], item[1], options, overwrite)
