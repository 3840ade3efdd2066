"""A column of texts repaired in its own kind: a list stays a list, a pandas Series a Series.

``repair_column`` is :func:`vnconv.repair_many` for data frames: the index, the name and the dtype come back
as they went in (object, ``string``/``string[pyarrow]``, ``category``), and values that are not text (None,
NaN, ``pd.NA``, numbers) are left exactly as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..repair.engine import repair_many
from ..repair.options import RepairKeywords, RepairOptions

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["repair_column"]


def _is_series(values: object) -> bool:
    return type(values).__name__ == "Series" and hasattr(values, "index") and hasattr(values, "dtype")


def repair_column(
    values: Iterable[object], options: RepairOptions | None = None, **keywords: Unpack[RepairKeywords]
) -> Any:
    """Repair ``values`` as the lines of one document (see :func:`vnconv.repair_many`), in their own kind.

    A pandas Series comes back as a Series with the same index, name and dtype (a ``category`` Series has its
    categories repaired: each distinct text once); a list, a tuple or any other iterable comes back as a list.
    """
    if not _is_series(values):
        return repair_many(values, options, **keywords)
    import pandas as pd

    series: Any = values
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = list(series.cat.categories)
        fixed = repair_many(cats, options, **keywords)
        if len(set(fixed)) == len(fixed):
            return series.cat.rename_categories(fixed)
        mapping = dict(zip(cats, fixed))  # two categories became one text: rebuild the categories
        return series.map(mapping).astype("category").rename(series.name)
    out = repair_many(series.tolist(), options, **keywords)
    return pd.Series(out, index=series.index, name=series.name, dtype=series.dtype)
