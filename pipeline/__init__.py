"""プロジェクト推進管理表 pipeline: submissions → tidy frames → workbook."""

__version__ = "0.1.0"
