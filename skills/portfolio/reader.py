"""Reading a ledger file into rows: CSV (UTF-8 or GB18030, any common delimiter) or XLSX (openpyxl, read-only).

XLSX files are zip archives; before openpyxl opens one, the archive's total uncompressed size and
compression ratio are checked so a zip bomb is refused instead of filling memory.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from skills.portfolio.config import PortfolioConfig

__all__ = ["LedgerError", "Table", "read_table"]

_HEADER_SCAN = 10  # a title row or two above the header is fine


class LedgerError(ValueError):
    """The whole file cannot be used; ``key`` names the message in ``messages.py``."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params


@dataclass(slots=True)
class Table:
    """Header cells and data rows, each with its row number as the officer sees it in the file."""

    headers: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_row: int = 1


def read_table(file_name: str, content: bytes, config: PortfolioConfig, *, header_hint: set[str]) -> Table:
    """Read ``content`` by its extension; ``header_hint`` (normalised headers) finds the header row."""
    if len(content) > config.max_upload_bytes:
        raise LedgerError("too_big", size=len(content), limit=config.max_upload_bytes)
    if not content:
        raise LedgerError("empty")
    name = file_name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        raw_rows = _xlsx_rows(content, config)
    elif name.endswith((".csv", ".txt", ".tsv")):
        raw_rows = _csv_rows(content)
    else:
        raise LedgerError("wrong_type", name=file_name)
    return _to_table(raw_rows, config, header_hint)


def _to_table(raw_rows: Iterator[list[Any]], config: PortfolioConfig, header_hint: set[str]) -> Table:
    from skills.portfolio.parsing import normalise_header

    table: Table | None = None
    for row_no, cells in enumerate(raw_rows, start=1):
        if table is None:
            if sum(1 for c in cells if normalise_header(c) in header_hint) >= 2:
                table = Table(headers=list(cells), header_row=row_no)
            elif row_no >= _HEADER_SCAN:
                raise LedgerError("no_header")
            continue
        first = cells[0] if cells else None
        if not (isinstance(first, str) and first.strip()) and not any(
            c not in (None, "") and str(c).strip() for c in cells
        ):
            continue  # blank row (the first check alone settles most rows)
        if len(table.rows) >= config.max_rows:
            raise LedgerError("too_many_rows", limit=config.max_rows)
        table.rows.append((row_no, cells if isinstance(cells, list) else list(cells)))
    if table is None:
        raise LedgerError("no_header")
    return table


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerError("unreadable")


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    if b"\x00" in content[:4096]:
        raise LedgerError("unreadable")
    text = _decode(content)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as exc:
        raise LedgerError("unreadable_detail", detail=str(exc)) from None


def _check_zip(content: bytes, config: PortfolioConfig) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise LedgerError("unreadable") from None
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if len(members) > 10_000 or total > config.max_uncompressed_bytes:
            raise LedgerError("zip_bomb", size=total, limit=config.max_uncompressed_bytes)
        if total / packed > config.max_compression_ratio:
            raise LedgerError("zip_ratio", ratio=int(total / packed), limit=config.max_compression_ratio)


def _xlsx_rows(content: bytes, config: PortfolioConfig) -> Iterator[list[Any]]:
    _check_zip(content, config)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles/extensions it ignores; they do not affect the values we read.
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise LedgerError("unreadable_detail", detail=type(exc).__name__) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise LedgerError("no_header")
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()
