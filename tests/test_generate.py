"""bench/generate.py: the generated Hokkaido years are valid inputs, and every row is accounted for."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from tests.builders import csv_rows

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402
import gentext  # noqa: E402


def test_k_005_runs_clean_and_accounts_for_every_row(hokkaido):
    _, counts, out, code, stdout, err = hokkaido
    assert code == 0, err
    assert [line for line in err.splitlines() if ": 警告: " not in line] == []
    accounting = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[2] == "/" and parts[4] == "/":
            accounting[parts[0]] = (int(parts[1]), int(parts[3]), int(parts[5]))
    expected = counts[2023]["rows_per_file"]
    assert accounting == {rel: (n, n, 0) for rel, n in expected.items()}
    assert len(csv_rows((out / "initiatives.csv").read_bytes())) == counts[2023]["initiatives"] == 1525
    actual = [r for r in csv_rows((out / "kpi.csv").read_bytes()) if r["kind"] == "actual"]
    assert len(actual) == counts[2023]["kpi_rows"] == 233


def test_the_run_meets_every_format_of_the_contract(hokkaido):
    inputs, _, _, _, _, err = hokkaido
    files = [p.relative_to(inputs / "2023").as_posix() for p in sorted((inputs / "2023").rglob("*")) if p.is_file()]
    assert {Path(f).suffix for f in files} == {".csv", ".xlsx"}
    raw = {f: (inputs / "2023" / f).read_bytes() for f in files if f.endswith(".csv")}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values())            # UTF-8 with BOM
    cp932 = [f for f, b in raw.items() if not b.startswith(b"\xef\xbb\xbf") and _not_utf8(b)]
    assert cp932                                                                 # Shift_JIS
    assert "別名です" in err and "未把握です" in err and "この列は使われません" in err
    assert "_記入要領" not in err     # the template's own sheet (values.csv 様式の補助シート): skipped silently


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_the_same_k_gives_the_same_bytes(tmp_path):
    def digest(root: Path) -> str:
        h = hashlib.sha256()
        for p in sorted(root.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(root).as_posix().encode() + p.read_bytes())
        return h.hexdigest()

    generate.generate(tmp_path / "a", 0.02, 2023, years=2)
    generate.generate(tmp_path / "b", 0.02, 2023, years=2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_scale_grows_rows_linearly_and_files_with_the_square_root():
    small, large = generate.first_year(0.25, 2023), generate.first_year(1, 2023)
    assert (len(small.initiatives), len(large.initiatives)) == (7626, 30498)
    assert (len(small.files), len(large.files)) == (103, 206)
    assert [len(p.kpis) for p in large.projects] == [5] * 58


def test_spellings_of_years_and_numbers():
    assert [gentext.wareki(2019, s) for s in range(6)] == ["R元", "令和元年度", "2019", "2019年度", "２０１９", "R01"]
    assert gentext.wareki(2014, 0) == "H26"
    assert [gentext.number_text(5949, "人", s) for s in range(4)] == ["5949", "5,949", "５，９４９", "5,949人"]
    assert gentext.number_text(-12, "百万円", 0) == "△12"
    assert gentext.number_text(12.5, "10万人当たり", 3) == "12.510万人当たり"
    assert gentext.number_text(12.0, "10万人当たり", 3) == "12"
