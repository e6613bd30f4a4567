"""The floor of the scale run (bench/scale.py): the least any pipeline must do with these inputs.

    python bench/floor.py INPUTS_FY_DIR OUT_DIR --cells N --csv-bytes A B

One process that imports pandas, pandera and xlsxwriter, reads every submission and
master file (python-calamine for xlsx, the csv module for CSV, UTF-8 or CP932), then
writes N cells with xlsxwriter in constant_memory mode (the values read, over and over)
plus two CSVs of A and B bytes.  N, A and B are what the pipeline wrote for the same
inputs (its workbooks' cells, initiatives.csv and kpi.csv), so the floor does the same
amount of reading and writing with no checking, sorting or layout at all.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path


def read_all(folder: Path) -> list[list]:
    """Every row of every sheet and CSV under `folder` (what the pipeline reads)."""
    from python_calamine import CalamineWorkbook

    rows: list[list] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            for name in book.sheet_names:
                rows.extend(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        elif path.suffix == ".csv":
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp932")
            rows.extend(csv.reader(io.StringIO(text, newline="")))
    return rows


def write_cells(path: Path, rows: list[list], cells: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    ws = book.add_worksheet("floor")
    written = row = 0
    while written < cells:
        for values in rows:
            for col, value in enumerate(values[: cells - written]):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(row, col, value)
                else:
                    ws.write_string(row, col, str(value))
            written += min(len(values), cells - written)
            row += 1
            if written >= cells:
                break
    book.close()


def write_csv(path: Path, rows: list[list], size: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        while f.tell() < size:
            for values in rows:
                writer.writerow(values)
                if f.tell() >= size:
                    break


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("inputs", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--cells", type=int, required=True)
    p.add_argument("--csv-bytes", type=int, nargs=2, required=True)
    args = p.parse_args(argv)
    import pandas  # noqa: F401 — the pipeline's imports are part of the floor
    import pandera.pandas  # noqa: F401
    import xlsxwriter  # noqa: F401

    rows = [r for r in read_all(args.inputs) if r]
    args.out.mkdir(parents=True, exist_ok=True)
    write_cells(args.out / "floor.xlsx", rows, args.cells)
    for i, size in enumerate(args.csv_bytes):
        write_csv(args.out / f"floor{i}.csv", rows, size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
