"""Books whose creation time is not recorded: core.xml written without its dates.

xlsxwriter always writes dcterms:created and dcterms:modified (the time of writing,
unless a time is given).  A book built without --date or SOURCE_DATE_EPOCH must be the
same bytes on every rebuild, so those two elements are left out as core.xml is written,
through xlsxwriter's documented hook for its packager (`Workbook._get_packager`, "allows the
default packager to be over-ridden"; xlsxwriter 3.3.1, pinned).  Before, the finished
book was unzipped, core.xml edited and every entry compressed again: as much work as
compressing the book once more, and the whole book unzipped in memory at once (~40 MB
for the largest region's book of a k = 4 Hokkaido year).
"""
from __future__ import annotations

import datetime

import xlsxwriter
from xlsxwriter.core import Core
from xlsxwriter.packager import Packager

# The `created` property that means "not recorded" (cells.created_property).
NOT_RECORDED = datetime.datetime(2000, 1, 1)


class _UndatedCore(Core):
    """core.xml with every property but the creation and modification times."""

    def _write_dcterms_created(self) -> None:
        return None

    def _write_dcterms_modified(self) -> None:
        return None


class _UndatedPackager(Packager):
    def _write_core_file(self) -> None:
        core = _UndatedCore()
        core._set_properties(self.workbook.doc_properties)
        core._set_xml_writer(self._filename("docProps/core.xml"))
        core._assemble_xml_file()


class Book(xlsxwriter.Workbook):
    """An xlsxwriter Workbook that leaves the dates out of core.xml when its `created`
    property is NOT_RECORDED."""

    def _get_packager(self):
        undated = self.doc_properties.get("created") == NOT_RECORDED
        return _UndatedPackager() if undated else super()._get_packager()
