"""Provenance columns every input table carries (added by normalize, checked here)."""
import pandera.pandas as pa

COLUMNS = {
    "source_file": pa.Column(str, description="入力フォルダ inputs/<年度> からの相対パス"),
    "source_sheet": pa.Column(str, description="xlsx のシート名（CSV は空）"),
    "sheet_index": pa.Column(int, pa.Check.ge(0), description="ブック内のシートの位置（並べ替え用）"),
    "source_row": pa.Column(int, pa.Check.ge(1), description="Excel やエディタで見える行番号"),
}
