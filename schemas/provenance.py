"""Provenance columns every recognised input table carries (added by pipeline.normalize).

They come from our own code, not from a submitter, so they are not validated on every
run (that would cost each table four more pandera columns); tests/test_normalize.py
validates the frames normalize produces against this schema instead.
"""
import pandera.pandas as pa

COLUMNS = {
    "source_file": pa.Column(str, description="入力フォルダ inputs/<年度> からの相対パス"),
    "source_sheet": pa.Column(str, description="xlsx のシート名（CSV は空）"),
    "sheet_index": pa.Column(int, pa.Check.ge(0), description="ブック内のシートの位置（並べ替え用）"),
    "source_row": pa.Column(int, pa.Check.ge(1), description="Excel やエディタで見える行番号"),
}


def schema() -> pa.DataFrameSchema:
    """The provenance columns alone; other columns of the table are allowed."""
    return pa.DataFrameSchema(COLUMNS, name="出典", description="どのファイルのどのシートの何行目か")
