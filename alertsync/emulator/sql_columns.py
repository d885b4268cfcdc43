"""Which result column a SQL alert reads (PostHog's ``HogQLExtractor`` column resolution).

The emulator knows a SQL insight's result columns from the seed (``insights[].columns``):

* an explicit ``column`` must be one of them;
* without one, a single-column result is read as is, and a wider one needs exactly one
  numeric column: none or several is a configuration error;
* an explicit ``label_column`` must be one of them too.

An insight declared without columns reads as one numeric column.
"""

from __future__ import annotations

from collections.abc import Sequence

from alertsync.emulator.seed import Column


def column_problem(
    column: str | None, label_column: str | None, columns: Sequence[Column]
) -> str | None:
    """PostHog's message when the columns cannot be resolved, else ``None``."""
    names = [item.name for item in columns]
    described = f" ({', '.join(names)})" if names else ""
    if column is not None:
        if not names:
            return (
                f"SQL alert is configured to evaluate column '{column}' but the result has no "
                "column metadata."
            )
        if column not in names:
            return f"SQL alert column '{column}' is not in the result columns ({', '.join(names)})."
    elif len(columns) > 1:
        numeric = [item for item in columns if item.numeric]
        if len(numeric) != 1:
            how_many = "none" if not numeric else "more than one"
            return (
                f"SQL alert query returns {len(columns)} columns{described} and {how_many} of them "
                "is numeric — pick the column to evaluate in the alert settings."
            )
    if label_column is not None and label_column not in names:
        return f"SQL alert label column '{label_column}' is not in the result columns{described}."
    return None
