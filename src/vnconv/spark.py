"""vnconv on Spark: a ``pandas_udf`` that repairs a string column, batch by batch, on the executors.

>>> from vnconv.spark import repair_udf                       # doctest: +SKIP
>>> df = df.withColumn("title", repair_udf()("title"))

Needs ``pip install 'vnconv[spark]'`` (pyspark, pyarrow) and a Java runtime. Each Arrow batch (10,000 rows
by default, ``spark.sql.execution.arrow.maxRecordsPerBatch``) is read as one document, as
:func:`vnconv.repair_many` reads a column; nulls stay null.
"""

# no ``from __future__ import annotations``: pyspark reads the UDF's type hints as objects
from typing import Any

from .pipelines.columns import repair_column

__all__ = ["repair_batch", "repair_udf"]


def repair_batch(batch: Any, options: dict | None = None) -> Any:
    """Repair one pandas Series batch (what the UDF runs on an executor)."""
    return repair_column(batch, **(options or {}))


def repair_udf(**options: Any) -> Any:
    """A Spark ``pandas_udf`` (string -> string) repairing its column with ``options`` as :func:`vnconv.repair`."""
    try:
        import pandas as pd
        from pyspark.sql.functions import pandas_udf
    except ImportError as exc:  # pragma: no cover - the extra is installed by make test
        raise ImportError("vnconv.spark needs pyspark and pyarrow: pip install 'vnconv[spark]'") from exc

    def _repair(batch: pd.Series) -> pd.Series:
        return repair_batch(batch, options)

    return pandas_udf(_repair, "string")  # type: ignore[call-overload]
