"""Write a store table as CSV, Parquet, JSON lines or GeoJSON.

GeoJSON gives one point per row that has coordinates (figures, events, places), with the
other columns as properties, ready for QGIS or kepler.gl.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .model import jsonable

FORMATS = ("csv", "parquet", "jsonl", "geojson")


def geojson(table: pa.Table) -> dict[str, Any]:
    if "lat" not in table.column_names or "lon" not in table.column_names:
        raise ValueError("GeoJSON needs a table with lat and lon columns (figures, events, places)")
    features = []
    for row in table.to_pylist():
        lat, lon = row.pop("lat"), row.pop("lon")
        if lat is None or lon is None:
            continue
        row.pop("text", None) if "document_key" not in row else None
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": jsonable(row)})
    return {"type": "FeatureCollection", "features": features}


def write(table: pa.Table, fmt: str, out: str | Path | IO[bytes]) -> None:
    """Write `table` to a path (or a binary stream) in one of FORMATS."""
    if fmt == "parquet":
        pq.write_table(table, out)
    elif fmt == "csv":
        # Lists (a check's figure numbers) go out as JSON text; CSV has no lists.
        columns = {name: (pa.array([json.dumps(v) for v in column.to_pylist()])
                          if pa.types.is_list(column.type) else column)
                   for name, column in zip(table.column_names, table.columns)}
        pa_csv.write_csv(pa.table(columns), out)
    elif fmt in ("jsonl", "geojson"):
        if fmt == "jsonl":
            text = "".join(json.dumps(jsonable(row), ensure_ascii=False) + "\n"
                           for row in table.to_pylist())
        else:
            text = json.dumps(geojson(table), ensure_ascii=False)
        data = text.encode("utf-8")
        if hasattr(out, "write"):
            out.write(data)
        else:
            Path(out).write_bytes(data)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
