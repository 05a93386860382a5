from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wijkwerk.areas.importing import COLUMNS

HEADER = ",".join(COLUMNS)
# Rows in the order of COLUMNS.
DORST = "GM0826,Oosterhout,WK082613,Dorst,village,,2020,0,Kerkdorp"
SLOTJES = "GM0826,Oosterhout,WK082601,Slotjes,district,,2020,0,"
DORST_ZUID = "GM0826,Oosterhout,BU08261307,Buitengebied Dorst-Zuid,neighbourhood,WK082613,2020,0,"
SLOTJES_MIDDEN = "GM0826,Oosterhout,BU08260191,Slotjes-Midden,neighbourhood,WK082601,2020,1,"
GEFFEN = "GM0828,Oss,WK082891,Geffen,village,,,1,"


def csv_file(tmp_path: Path, *lines: str, name: str = "areas.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def square(lon: float = 4.86, lat: float = 51.59, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def geojson_file(tmp_path: Path, *features: dict[str, Any], name: str = "areas.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def feature(code: str, geometry: Any = None, prop: str = "code") -> dict[str, Any]:
    return {"type": "Feature", "properties": {prop: code}, "geometry": geometry or square()}
