"""The workbooks: what officials open and print, written with xlsxwriter.

Modules, from the bottom up:
- labels.py — every text a reader sees (sheet names, headings, notes);
- layout.py — text layout: lines per cell, row heights, the project sheet's column grid;
- cells.py — formats, the row cursor, quote-prefixing, number formats, page set-up
  (shared with the 差分 workbook);
- project_sheet.py, charts.py, overview.py, data_sheets.py — one module per kind of sheet;
- book.py — the yearly workbook: arranges the sheets;
- readback.py — reads the data sheets back (the mirror of data_sheets.py);
- diff_book.py — the 差分 workbook.

No module here imports a domain stage (tidy, progress, status, report): what the
sheets show arrives decided, in model.Tables and its report.
"""
