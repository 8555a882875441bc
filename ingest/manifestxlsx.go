package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/khoso-vn/khoso/archive"
)

// maxUnzippedBytes bounds what an XLSX manifest holds once unzipped, read
// from the sizes its zip directory declares before anything is inflated
// (archive/zip refuses an entry longer than it declares): a zip bomb is
// refused without being read.
const maxUnzippedBytes = 128 << 20

// manifestSheet is the sheet read from a workbook holding it; otherwise
// the first sheet is read.
const manifestSheet = "Danh mục"

// IsXLSX reports whether data is an Excel workbook (a ZIP file) rather
// than CSV text.
func IsXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// readXLSX reads an XLSX manifest by the rules of a CSV one. Dates may be
// Excel dates or text; a number or holder ID that Excel keeps as a number
// is a fault of its row, as its leading zeros are gone.
func readXLSX(data []byte, unzipLimit int64) (*table, error) {
	if err := checkUnzipped(data, unzipLimit); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data),
		excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipLimit})
	if err != nil {
		return nil, unreadableXLSX(err)
	}
	defer f.Close()
	sheet := pickSheet(f.GetSheetList())
	cells, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, unreadableXLSX(err)
	}
	if len(cells) == 0 || blank(cells[0]) {
		return nil, fmt.Errorf("ingest: manifest has no header row (bảng kê không có dòng tiêu đề): %w", ErrManifest)
	}
	t := &table{header: cells[0]}
	if t.index, err = headerIndex(cells[0]); err != nil {
		return nil, err
	}
	for i, rec := range cells[1:] {
		if blank(rec) {
			continue
		}
		l := tableLine{line: i + 2, fields: rec}
		if l.fault, err = readCells(f, sheet, &l, t.index); err != nil {
			return nil, unreadableXLSX(err)
		}
		t.lines = append(t.lines, l)
		if len(t.lines) > MaxManifestRows {
			return nil, tooManyRows(l.line)
		}
	}
	return t, nil
}

// pickSheet is the sheet named manifestSheet, whatever its case and
// marks, else the first.
func pickSheet(sheets []string) string {
	for _, s := range sheets {
		if foldHeader(s) == foldHeader(manifestSheet) {
			return s
		}
	}
	if len(sheets) == 0 {
		return ""
	}
	return sheets[0]
}

// readCells turns the Excel dates of l's date columns into dd/mm/yyyy and
// returns the fault of an identity column Excel keeps as a number.
func readCells(f *excelize.File, sheet string, l *tableLine, index map[string]int) (*RowError, error) {
	typeOf := func(i int) (excelize.CellType, error) {
		cell, err := excelize.CoordinatesToCellName(i+1, l.line)
		if err != nil {
			return 0, err
		}
		return f.GetCellType(sheet, cell)
	}
	for _, col := range []string{"issued_on", "valid_until"} {
		i, ok := index[col]
		if !ok || i >= len(l.fields) || strings.TrimSpace(l.fields[i]) == "" {
			continue
		}
		ct, err := typeOf(i)
		if err != nil {
			return nil, err
		}
		l.fields[i] = excelDate(ct, strings.TrimSpace(l.fields[i]))
	}
	for _, col := range idColumns {
		i, ok := index[col]
		if !ok || i >= len(l.fields) || strings.TrimSpace(l.fields[i]) == "" {
			continue
		}
		ct, err := typeOf(i)
		if err != nil {
			return nil, err
		}
		if ct == excelize.CellTypeUnset || ct == excelize.CellTypeNumber {
			return lostDigits(l.line, col, strings.TrimSpace(l.fields[i])), nil
		}
	}
	return nil, nil
}

// excelDate writes a date cell's raw value v as dd/mm/yyyy: a number is an
// Excel serial date, an ISO date cell its date part; text stays as typed.
func excelDate(ct excelize.CellType, v string) string {
	switch ct {
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		serial, err := strconv.ParseFloat(v, 64)
		if err != nil || serial < 1 || serial > 2958465 { // 31/12/9999
			return v
		}
		t, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			return v
		}
		return t.Format("02/01/2006")
	case excelize.CellTypeDate:
		if len(v) >= 10 {
			return v[:10]
		}
	}
	return v
}

// checkUnzipped refuses a workbook whose entries declare more than limit
// bytes in all.
func checkUnzipped(data []byte, limit int64) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return unreadableXLSX(err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return archive.NewError(ErrManifest,
				fmt.Sprintf("bảng kê Excel quá lớn khi giải nén: tối đa %d MiB; hãy chia thành nhiều lô", limit>>20),
				fmt.Sprintf("the Excel manifest is too large once unzipped: at most %d MiB; split it into several batches", limit>>20))
		}
	}
	return nil
}

func unreadableXLSX(err error) error {
	return archive.Wrap(ErrManifest, "không đọc được bảng kê Excel (XLSX); hãy lưu lại bằng Excel dạng Sổ làm việc Excel (*.xlsx) hoặc CSV UTF-8",
		"the Excel manifest (XLSX) cannot be read; save it again in Excel as Excel Workbook (*.xlsx) or CSV UTF-8", err)
}
