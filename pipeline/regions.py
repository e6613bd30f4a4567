"""Regions: a run's Tables split per 連携地域, for one workbook per region (pure).

When the projects of a run span more than one 連携地域, `make sheet` writes one workbook
per region — the unit each region publishes — and the whole-Hokkaido workbook.  A
region's Tables are the run's rows of its projects only; its report is the run's report
cut to those projects (nothing is computed twice); its 出典 lists the master files and
the submission files that gave it a row, with their warnings.  A run with one region is
not split (`split` returns nothing) and writes today's single workbook.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from .load import MASTER_FILES
from .model import Tables


def regions_of(tables: Tables) -> list[str]:
    """The 連携地域 of the run's projects, in display order (the projects are sorted by region)."""
    return [r for r in dict.fromkeys(tables.projects["region"].tolist()) if isinstance(r, str) and r]


def _rows_of(frame: pd.DataFrame, project_ids: set) -> pd.DataFrame:
    if frame is None or "project_id" not in frame.columns:
        return frame
    return frame[frame["project_id"].isin(project_ids)].reset_index(drop=True)


def _files(frames: list[pd.DataFrame]) -> set:
    files = set(MASTER_FILES.values())
    for frame in frames:
        if "source_file" in frame.columns:
            files.update(frame["source_file"].tolist())
    return files


def _of_files(warning, files: set) -> bool:
    """A warning of one of `files`: a Problem by its file; a line read back from 出典
    (`submissions/a.csv:12: 警告: …`, verify's rebuild) by the file it starts with."""
    if isinstance(warning, str):
        return any(warning.startswith(f + ":") for f in files)
    return getattr(warning, "file", "") in files


def region_tables(tables: Tables, region: str) -> Tables:
    """The rows, accounting, warnings and report of one region's projects."""
    ids = set(tables.projects.loc[tables.projects["region"] == region, "project_id"].tolist())
    initiatives, kpi = _rows_of(tables.initiatives, ids), _rows_of(tables.kpi, ids)
    files = _files([initiatives, kpi])
    manifest = tables.manifest[tables.manifest["file"].isin(files)].reset_index(drop=True)
    warnings = tuple(w for w in tables.warnings if _of_files(w, files))
    report = tables.report
    if report is not None:
        report = dataclasses.replace(
            report, pages=tuple(p for p in report.pages if p.project_id in ids),
            overview=tuple(r for r in report.overview if r.project_id in ids and r.linked),
            statuses=_rows_of(report.statuses, ids))
    return dataclasses.replace(
        tables, projects=_rows_of(tables.projects, ids), measures=_rows_of(tables.measures, ids),
        kpis=_rows_of(tables.kpis, ids), initiatives=initiatives, kpi=kpi, manifest=manifest,
        warnings=warnings, report=report, parts=())


def split(tables: Tables) -> tuple[Tables, ...]:
    """One Tables per 連携地域 when the run has more than one, else ()."""
    names = regions_of(tables)
    if len(names) < 2:
        return ()
    return tuple(region_tables(tables, name) for name in names)


def snapshot_region(old, new, region: str) -> tuple:
    """Two Snapshots (pipeline/model.py) cut to the projects of one 連携地域 in either year:
    what `diff --region` compares.  Raises KeyError when neither year has the region."""
    ids = set()
    for snapshot in (old, new):
        ids |= set(snapshot.projects.loc[snapshot.projects["region"] == region, "project_id"].tolist())
    if not ids:
        raise KeyError(region)

    def cut(snapshot):
        return dataclasses.replace(
            snapshot, label=f"{snapshot.label}（{region}）", initiatives=_rows_of(snapshot.initiatives, ids),
            kpi=_rows_of(snapshot.kpi, ids), projects=_rows_of(snapshot.projects, ids),
            measures=_rows_of(snapshot.measures, ids), kpis=_rows_of(snapshot.kpis, ids))
    return cut(old), cut(new)
