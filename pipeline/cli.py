"""Command line: a thin layer that runs the stages and turns errors into messages and exit codes.

Exit codes of `sheet`, `templates` and `check`: 0 done (warnings allowed), 1 input errors,
2 usage errors and unreadable files, 3 an internal error (a bug: reported in one line,
never as a traceback).
`diff` follows diff(1): 0 no difference, 1 differences (or a book whose sheets do not
match its data, see verify), 2 errors (missing file, not one of our workbooks), 3 an
internal error.  `verify`: 0 every cell as rebuilt, 1 a cell, sheet or input file
differs, 2 unreadable, 3 an internal error.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from .errors import PipelineError, UsageError, capped, escape, os_reason
from .textwidth import display_width


class _Parser(argparse.ArgumentParser):
    """argparse with its complaints in Japanese and exit code 2."""

    def error(self, message: str):
        raise UsageError(f"使い方の誤り: {message}（python -m pipeline --help を見てください）")


def parser() -> argparse.ArgumentParser:
    """The command line: `sheet` builds one FY's outputs, `diff` compares two of them."""
    p = _Parser(prog="python -m pipeline", description="プロジェクト推進管理表を作ります。")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sheet = sub.add_parser("sheet", help="提出ファイルを検査し、推進管理表と整理済みCSVを作ります")
    sheet.add_argument("--fy", type=int, help="年度（西暦。2019 = 令和元年度）。省略時は inputs/ の最新の年度")
    sheet.add_argument("--inputs", type=Path, default=Path("inputs"), help="入力フォルダ（既定: inputs）")
    sheet.add_argument("--outputs", type=Path, default=Path("outputs"), help="出力フォルダ（既定: outputs）")
    sheet.add_argument("--date", type=_date, help="作成日時として記録する日付（例: 2020-03-31。省略時は "
                       "SOURCE_DATE_EPOCH、それもなければ記録しません）")
    sheet.add_argument("--jobs", type=_positive, help="ファイルを同時に書き出すプロセスの数（既定: CPU の数。4 まで）。"
                       "1 ならこのプロセスだけで書きます。同じ入力からはいくつでも同じ出力です")
    diff = sub.add_parser("diff", help="2つの推進管理表を比べ、変わった点を表示して差分の xlsx を作ります")
    diff.add_argument("old", help="旧の推進管理表（xlsx のパス、または年度。2019 なら outputs/2019/推進管理表_2019.xlsx）")
    diff.add_argument("new", help="新の推進管理表（同上）")
    diff.add_argument("--outputs", type=Path, default=Path("outputs"), help="年度で指定したときの出力フォルダ（既定: outputs）")
    diff.add_argument("--out", type=Path, help="差分 xlsx の保存先（既定: 新の推進管理表と同じフォルダの 差分_<旧>_<新>.xlsx）")
    diff.add_argument("--region", help="この連携地域（例: 道北）のプロジェクトだけを比べます（差分_<旧>_<新>_<連携地域>.xlsx）")
    diff.add_argument("--date", type=_date, help="作成日時として記録する日付（sheet と同じ）")
    verify = sub.add_parser("verify", help="推進管理表をそのデータのシート（または入力）から作り直し、すべてのセルを比べます")
    verify.add_argument("book", help="推進管理表（xlsx のパス、または年度）")
    verify.add_argument("--inputs", type=Path, help="入力フォルダ。出典の SHA-256 と同じ入力なら、入力から作り直して比べます")
    verify.add_argument("--outputs", type=Path, default=Path("outputs"), help="年度で指定したときの出力フォルダ（既定: outputs）")
    pdf = sub.add_parser("pdf", help="推進管理表（一覧とプロジェクトのシート）を LibreOffice で PDF にします")
    pdf.add_argument("--fy", type=int, help="年度（西暦）。省略時は outputs/ の最新の年度")
    pdf.add_argument("--outputs", type=Path, default=Path("outputs"), help="出力フォルダ（既定: outputs）")
    templates = sub.add_parser("templates", help="提出団体ごとの提出様式（xlsx）を outputs/<年度>/提出様式/ に作ります")
    check = sub.add_parser("check", help="提出ファイルをその年度のマスタで検査します（何も作りません）")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="検査するファイル（CSV・xlsx）")
    check.add_argument("--report", type=Path, help="検証結果の xlsx の保存先（指摘の一覧と、色とメモを付けた提出ファイル）")
    for command in (templates, check):
        command.add_argument("--fy", type=int, help="年度（西暦）。省略時は inputs/ の最新の年度")
        command.add_argument("--inputs", type=Path, default=Path("inputs"), help="入力フォルダ（既定: inputs）")
    templates.add_argument("--outputs", type=Path, default=Path("outputs"), help="出力フォルダ（既定: outputs）")
    return p


def _date(text: str):
    """--date: 2020-03-31 or 2020-03-31T09:00[:00][+09:00] (without a zone: UTC)."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」は日付として読めません（例: 2020-03-31、2020-03-31T09:00）") from None


def _positive(text: str) -> int:
    """--jobs: a whole number of 1 or more."""
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"「{text}」は 1 以上の整数ではありません")
    return int(text)


def _fiscal_year(args) -> int:
    from .load import fiscal_years

    if not args.inputs.is_dir():
        raise UsageError(f"入力フォルダ {args.inputs} がありません")
    years = fiscal_years(args.inputs)
    if args.fy is None:
        if not years:
            raise UsageError(f"{args.inputs} に年度のフォルダ（例: {args.inputs}/2019）がありません")
        return years[-1]
    if args.fy not in years:
        raise UsageError(f"{args.inputs}/{args.fy} がありません（あるのは: {'、'.join(map(str, years)) or 'なし'}）")
    return args.fy


def _print_problems(problems) -> None:
    """One line per problem on stderr, at most message_lines per file, column and level."""
    from schemas.limits import read_limits

    for line in capped(list(problems), read_limits().message_lines.value):
        print(line, file=sys.stderr)


def _print_accounting(manifest, out) -> None:
    if manifest is None or manifest.empty:
        return
    print("ファイルごとの行数（読込 / 採用 / 除外）:", file=out)
    files = [escape(f) for f in manifest["file"]]
    width = max(display_width(f) for f in files)
    for file, row in zip(files, manifest.itertuples(index=False)):
        pad = " " * (width - display_width(file))
        print(f"  {file}{pad}  {row.rows_read:>4} / {row.rows_accepted:>4} / {row.rows_rejected:>4}  {row.kind}",
              file=out)


def _waiting(path: Path):
    return lambda: print(f"ほかの実行が {escape(path)} に書き込み中です。終わるのを待っています…", file=sys.stderr)


def _lock(folder: Path):
    """The lock of outputs/<FY> (pipeline/atomic.py): every write of a run into that folder under it."""
    from schemas.limits import read_limits

    from .atomic import output_lock

    limit = read_limits().lock_wait_seconds
    return output_lock(folder, limit.value, limit.message("", path=escape(folder)), _waiting(folder))


def _feedback(args, fiscal_year: int, inputs, problems, manifest, ref) -> None:
    from .render_folder import publish_feedback

    folder = publish_feedback(fiscal_year, inputs, problems, manifest, ref, args.outputs)
    print(f"提出団体への検証結果と提出状況: {escape(folder)}", file=sys.stdout)


def sheet(args) -> int:
    """Run the sheet job; print problems (stderr), accounting and written files (stdout);
    write the feedback (検証結果) whether the run failed or not."""
    from .build import check as check_inputs, quiet_sheets, tidied
    from .load import load_inputs, load_reference
    from .meter import Meter
    from .render import write_run
    from .render_folder import FEEDBACK_FOLDER, run_feedback, under

    fiscal_year = _fiscal_year(args)
    target = args.outputs / str(fiscal_year)
    ref = load_reference()
    meter = Meter(sys.stderr)
    inputs = load_inputs(args.inputs, fiscal_year, quiet_sheets(ref), meter=meter, workers=args.jobs)
    meter.close()
    try:
        checked = check_inputs(args.inputs, fiscal_year, ref, inputs=inputs)
    except PipelineError as exc:
        _print_problems(exc.problems)
        _print_accounting(exc.manifest, sys.stdout)
        _feedback(args, fiscal_year, inputs, exc.problems, exc.manifest, ref)  # 検証結果/ alone, under the FY lock
        errors = sum(p.level == "error" for p in exc.problems)
        warnings = len(exc.problems) - errors
        print(f"エラー {errors:,} 件、警告 {warnings:,} 件。{escape(target)} は変更していません。", file=sys.stderr)
        return exc.exit_code
    _print_problems(checked.problems)
    _print_accounting(checked.manifest, sys.stdout)
    feedback = under(FEEDBACK_FOLDER, run_feedback(fiscal_year, inputs, checked.problems, checked.manifest, ref))
    del inputs   # the 検証結果 hold what they show of the inputs; the rest may go before tidy

    def decide():
        tables = tidied(checked).tables
        gc.freeze()  # the run's tables live on while the books are written: the collector need not scan them
        return tables

    # the 検証結果 are begun while tidy and report run; they and the yearly outputs change together, in one step
    gc.freeze()
    try:
        written = write_run(fiscal_year, decide, args.outputs, args.date, on_wait=_waiting(target), extra=feedback,
                            meter=meter, workers=args.jobs, regions=ref.regions["region"].tolist())
    finally:
        gc.unfreeze()
        meter.close()
    print(f"提出団体への検証結果と提出状況: {escape(target / FEEDBACK_FOLDER)}", file=sys.stdout)
    print(f"{fiscal_year}年度: 警告 {len(checked.problems):,} 件。出力しました:", file=sys.stdout)
    for path in written:
        print(f"  {escape(path)}", file=sys.stdout)
    return 0


def _workbook_path(arg: str, outputs: Path) -> Path:
    """A path as given, or a FY (2019) meaning outputs/2019/推進管理表_2019.xlsx."""
    from .render import workbook_name

    path = Path(arg)
    if arg.isdigit() and len(arg) == 4 and not path.exists():
        return outputs / arg / workbook_name(int(arg))
    return path


def _one_region(old, new, region: str) -> tuple:
    from .regions import snapshot_region

    try:
        return snapshot_region(old, new, region)
    except KeyError:
        found = sorted(set(old.projects["region"]) | set(new.projects["region"]))
        raise UsageError(f"連携地域「{region}」のプロジェクトがありません（あるのは: {'・'.join(found) or 'なし'}）") from None


def _folder_lock(folder: Path):
    """The lock of an outputs/<FY> folder when `folder` is one (its lock file exists), so that
    `diff` never writes into a folder that `sheet` is replacing; nothing for any other folder."""
    import contextlib

    from .atomic import lock_path

    return _lock(folder) if lock_path(folder).exists() else contextlib.nullcontext()


def diff(args) -> int:
    """Compare two workbooks: summary on stdout, 差分 xlsx written; exit 0 same, 1 different."""
    from .diff_job import read_and_compare, write_and_summarise
    from .diff_render import diff_name
    from .render import created_time

    old_path, new_path = _workbook_path(args.old, args.outputs), _workbook_path(args.new, args.outputs)
    region = _region_of_books(old_path, new_path, args.region)
    cut = (lambda old, new: _one_region(old, new, region)) if region else None
    old, new, result, checks = read_and_compare(old_path, new_path, cut)
    name = diff_name(old.fiscal_year, new.fiscal_year)
    if region:
        name = name.replace(".xlsx", f"_{region}.xlsx")
    out = args.out or new_path.parent
    if out.is_dir():  # a folder (the default, or --out DIR): the file goes inside, under its usual name
        out = out / name
    with _folder_lock(out.parent):
        lines = write_and_summarise(result, out, checks, old_sha=old.sha256, new_sha=new.sha256,
                                    created=created_time(date=args.date))
    _print_lines(lines)
    return 1 if result.changed or not all(check.ok for check in checks.values()) else 0


def _region_of_books(old: Path, new: Path, asked: str | None) -> str | None:
    """The 連携地域 a diff is cut to: --region, or the one of two region books (推進管理表_2023_道北.xlsx,
    compared through the whole-Hokkaido books beside them); UsageError when they disagree."""
    from .load import load_reference
    from .verify_job import region_book

    ref = load_reference()
    found = {path.name: book[1] for path in (old, new) if (book := region_book(path, ref))}
    named = set(found.values()) | ({asked} if asked else set())
    if len(named) > 1:
        books = "、".join(f"{name}（{region}）" for name, region in found.items())
        raise UsageError(f"連携地域が一致しません: {books}{f'、--region {asked}' if asked else ''}")
    return next(iter(named), None)


def _print_lines(lines: list[str]) -> None:
    try:
        for line in lines:
            print(escape(line))  # one line each (⏎ shows a line break); a path or text cannot colour the terminal
    except BrokenPipeError:  # `… | head`: the reader went away; the answer is still the exit code
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 — keeps the interpreter's final flush quiet


def verify(args) -> int:
    """Rebuild a book's sheets from its data sheets (or --inputs) and compare every cell;
    exit 0 all as rebuilt, 1 something differs."""
    from .verify import report_lines
    from .verify_job import verify_book

    path = _workbook_path(args.book, args.outputs)
    _, check = verify_book(path, str(path), inputs_dir=args.inputs)
    _print_lines(report_lines(check))
    return 0 if check.ok else 1


def pdf(args) -> int:
    """Print the FY's workbook to PDF (pipeline/publish.py); exit 2 when a tool is missing."""
    from .publish import publish, regions_of
    from .render import workbook_name

    fiscal_year = args.fy
    if fiscal_year is None:
        built = sorted(int(p.name) for p in args.outputs.glob("[0-9][0-9][0-9][0-9]")
                       if (p / workbook_name(int(p.name))).is_file()) if args.outputs.is_dir() else []
        if not built:
            raise UsageError(f"{args.outputs} に推進管理表がありません（先に make sheet で作ってください）")
        fiscal_year = built[-1]
    workbook = args.outputs / str(fiscal_year) / workbook_name(fiscal_year)
    regions = regions_of(workbook) if workbook.is_file() else None
    for path in publish(workbook, fiscal_year, regions):
        print(f"出力しました: {path}")
    return 0


def templates(args) -> int:
    """Write outputs/<FY>/提出様式/: one template per submitter of master/submitters.csv."""
    from .jobs import template_job
    from .load import load_reference
    from .render_folder import TEMPLATE_FOLDER, write_templates

    fiscal_year = _fiscal_year(args)
    made, warnings = template_job(args.inputs, fiscal_year, load_reference())
    _print_problems(warnings)
    written = write_templates(made, args.outputs / str(fiscal_year) / TEMPLATE_FOLDER)
    print(f"{fiscal_year}年度の提出様式 {len(written)} 件を作りました（警告 {len(warnings)} 件）:")
    for path in written:
        print(f"  {escape(path)}")
    return 0


def check(args) -> int:
    """Check files against a year's masters; --report writes their 検証結果; exit 0 / 1 / 2."""
    from .feedback import build_feedback, report_files
    from .jobs import check_job
    from .load import load_reference
    from .render_folder import write_report

    fiscal_year = _fiscal_year(args)
    ref = load_reference()
    checked = check_job(args.files, args.inputs, fiscal_year, ref)
    _print_problems(checked.problems)
    _print_accounting(checked.manifest, sys.stdout)
    errors = sum(p.level == "error" for p in checked.problems)
    print(f"{fiscal_year}年度のマスタで検査しました: エラー {errors} 件、警告 {len(checked.problems) - errors} 件",
          file=sys.stdout)
    if args.report:
        feedback = build_feedback(fiscal_year, checked.inputs, checked.problems, checked.manifest, ref)
        files = report_files(feedback, [str(f) for f in args.files])
        print(f"検証結果: {write_report(files, args.report, fiscal_year=fiscal_year)}", file=sys.stdout)
    return checked.exit_code


def main(argv: list[str] | None = None) -> int:
    """Entry point; never shows a traceback for expected failures."""
    try:
        args = parser().parse_args(argv)
        commands = {"sheet": sheet, "diff": diff, "verify": verify, "templates": templates, "check": check,
                    "pdf": pdf}
        return commands[args.command](args)
    except PipelineError as exc:
        _print_problems(exc.problems)
        return exc.exit_code
    except BrokenPipeError:  # the reader of stdout went away (`… | head`): not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 — keeps the interpreter's final flush quiet
        return 0
    except OSError as exc:
        where = f"{escape(exc.filename)}: " if exc.filename else ""
        print(f"{where}ファイルを読み書きできません（{os_reason(exc)}）", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("中断しました。出力は変更していません。", file=sys.stderr)
        return 130
    except MemoryError:
        print("メモリが足りません。出力は変更していません。開発担当に連絡してください", file=sys.stderr)
        return 3
    except Exception as exc:  # noqa: BLE001 — a bug; the user gets one line, not a traceback
        print(f"内部エラーが発生しました。出力は変更していません。開発担当に連絡してください"
              f"（連絡用の情報: {escape(type(exc).__name__)}: {escape(exc)}）", file=sys.stderr)
        return 3
