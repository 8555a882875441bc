package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/khoso-vn/khoso/archive"
)

// readCSV reads a CSV manifest: UTF-8 (a BOM is dropped) or UTF-16 with a
// BOM, anything else refused with where the first byte that is not UTF-8
// is.
func readCSV(data []byte) (*table, error) {
	data, err := manifestText(data)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comma = sniffComma(data)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("ingest: manifest has no header row (bảng kê không có dòng tiêu đề): %w", ErrManifest)
	}
	t := &table{header: header}
	if t.index, err = headerIndex(header); err != nil {
		return nil, err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return t, nil
		}
		line, _ := cr.FieldPos(0) // the csv reader skips blank lines: ask it
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			t.lines = append(t.lines, tableLine{line: line,
				err: &RowError{Line: line, VI: "dòng CSV không đọc được", EN: "unreadable CSV line: " + err.Error()}})
		} else if !blank(rec) {
			t.lines = append(t.lines, tableLine{line: line, fields: rec})
		}
		if len(t.lines) > MaxManifestRows {
			return nil, tooManyRows(line)
		}
	}
}

// tooManyRows refuses a manifest whose data rows go past MaxManifestRows
// at line.
func tooManyRows(line int) error {
	return archive.NewError(ErrManifest,
		fmt.Sprintf("bảng kê có quá %d dòng dữ liệu (dòng %d vượt giới hạn); hãy chia thành nhiều lô", MaxManifestRows, line),
		fmt.Sprintf("the manifest has more than %d data rows (line %d is past the limit); split it into several batches", MaxManifestRows, line))
}

// manifestText returns a CSV manifest's text as UTF-8 without a BOM.
// UTF-16 is told by its BOM, as Excel's "Unicode Text" writes it.
func manifestText(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		text, err := dec.Bytes(data)
		if err != nil {
			return nil, archive.Wrap(ErrManifest, "bảng kê UTF-16 không đọc được", "the UTF-16 manifest cannot be read", err)
		}
		return bytes.TrimPrefix(text, []byte("\uFEFF")), nil
	}
	text := bytes.TrimPrefix(data, []byte("\uFEFF"))
	if utf8.Valid(text) {
		return text, nil
	}
	off := len(data) - len(text)
	for len(text) > 0 {
		r, n := utf8.DecodeRune(text)
		if r == utf8.RuneError && n <= 1 {
			break
		}
		text, off = text[n:], off+n
	}
	line := bytes.Count(data[:off], []byte("\n")) + 1
	return nil, archive.NewError(ErrManifest,
		fmt.Sprintf("bảng kê không phải UTF-8 (dòng %d, byte thứ %d tính từ 0): có lẽ tệp được lưu dạng Windows-1258 hoặc ANSI. "+
			"Trong Excel, chọn Lưu thành (Save As), kiểu tệp \"CSV UTF-8 (Comma delimited) (*.csv)\", rồi gửi lại", line, off),
		fmt.Sprintf("the manifest is not UTF-8 (line %d, byte offset %d): it was probably saved as Windows-1258 or ANSI. "+
			"In Excel, choose Save As, file type \"CSV UTF-8 (Comma delimited) (*.csv)\", and send it again", line, off))
}

// sniffComma picks ';' when the header line has more of them than commas,
// as spreadsheets in a Vietnamese locale often write.
func sniffComma(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}
