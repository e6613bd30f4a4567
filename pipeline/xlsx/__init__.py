"""The workbooks: what officials open and print, written with xlsxwriter.

Modules, from the bottom up:
- labels.py — every text a reader sees (sheet names, headings, notes);
- layout.py — text layout: lines per cell, row heights, the project sheet's column grid;
- cells.py — formats, the row cursor, quote-prefixing, number formats, page set-up
  (shared with the 差分 workbook);
- project_sheet.py, charts.py, overview.py, data_sheets.py — one module per kind of sheet;
- book.py — the yearly workbook: arranges the sheets;
- readback.py — reads the data sheets back (the mirror of data_sheets.py);
- diff_book.py — the 差分 workbook;
- form_labels.py, form_cells.py — texts and the cell layer of the submitter-side workbooks;
- template_book.py, template_guide.py — 提出様式 (a submitter's template);
- feedback_book.py, status_book.py — 検証結果 (per file) and 提出状況.

No module here imports a domain stage (tidy, progress, status, report): what the
sheets show arrives decided, in model.Tables and its report, or in form_model's plain data.
"""
