"""Filter the full CORDIS organisation directory to the PICs the bundled data refers to (+ all RO rows).

Why: see data/cordis/organisation_directory/PROVENANCE.txt. Usage:
    python scripts/filter_org_directory.py /path/to/full/organisation_directory
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "cordis"
TABLES = (("fp7_organizations.csv.gz", "organisationID_PIC"), ("h2020_organizations_latest_union.csv.gz", "organisationID"))


def known_pics() -> set[str]:
    pics: set[str] = set()
    with gzip.open(DATA / "h2020_participations" / "h2020_participations.csv.gz", "rt", encoding="utf-8", newline="") as f:
        pics.update(row["pic"] for row in csv.DictReader(f))
    with (DATA / "composite" / "participations.csv").open(encoding="utf-8", newline="") as f:
        pics.update(row["pic"] for row in csv.DictReader(f) if row["pic"])
    return pics


def main(source: Path) -> None:
    pics = known_pics()
    for name, pic_column in TABLES:
        with gzip.open(source / name, "rt", encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            kept = [row for row in reader if row[pic_column] in pics or row["country"] == "RO"]
            columns = list(reader.fieldnames or [])
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        with gzip.GzipFile(DATA / "organisation_directory" / name, "wb", mtime=0) as g:
            g.write(out.getvalue().encode("utf-8"))
        sys.stdout.write(f"{name}: {len(kept)} rows kept\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
