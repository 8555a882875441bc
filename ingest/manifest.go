package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/archive"
)

// Row is one manifest line: the metadata of one paper document and the
// files of its pages.
type Row struct {
	Line  int // 1-based line number in the manifest; the header is line 1
	Files []string
	Meta  archive.Metadata
	// DPI is the resolution the clerk confirmed for the row's pages, for
	// files that declare none or a wrong one below 200; 0 when not given.
	DPI float64
	Err error // set when the row cannot be accepted; the other fields may be partial
}

// RowError names the manifest row and column a problem is in.
type RowError struct {
	Line   int
	Column string
	VI, EN string // what is wrong, in Vietnamese and English
}

func (e *RowError) Error() string {
	if e.Line == 0 {
		if e.Column == "" {
			return e.VI + " / " + e.EN
		}
		return fmt.Sprintf("cột %s: %s / column %s: %s", e.Column, e.VI, e.Column, e.EN)
	}
	if e.Column == "" {
		return fmt.Sprintf("dòng %d: %s / row %d: %s", e.Line, e.VI, e.Line, e.EN)
	}
	return fmt.Sprintf("dòng %d, cột %s: %s / row %d, column %s: %s", e.Line, e.Column, e.VI, e.Line, e.Column, e.EN)
}

// Unwrap makes a RowError an archive.ErrInvalid.
func (e *RowError) Unwrap() error { return archive.ErrInvalid }

// Message is what a person reads in lang ("en" or Vietnamese), without the
// row and column: a form shows it next to the field.
func (e *RowError) Message(lang string) string {
	if lang == "en" {
		return e.EN
	}
	return e.VI
}

// ErrManifest is wrapped by errors about the manifest as a whole.
var ErrManifest = errors.New("manifest")

// columns maps folded header spellings, English and Vietnamese, to the
// canonical column name.
var columns = map[string]string{}

func init() {
	for canon, aliases := range map[string][]string{
		"file":             {"file", "files", "tep", "tep tin", "tap tin", "file anh"},
		"doc_type_code":    {"doc_type_code", "ma loai giay to", "ma loai"},
		"doc_name":         {"doc_name", "ten giay to"},
		"number":           {"number", "so ky hieu", "so, ky hieu", "so"},
		"issued_on":        {"issued_on", "ngay cap", "ngay, thang, nam cap", "ngay thang nam cap"},
		"issuer":           {"issuer", "co quan cap"},
		"holder_id":        {"holder_id", "so dinh danh", "ma dinh danh", "so cccd", "ma so thue"},
		"holder_name":      {"holder_name", "ten chu ho so", "ho ten", "ho va ten", "chu so huu"},
		"summary":          {"summary", "trich yeu", "trich yeu noi dung"},
		"valid_until":      {"valid_until", "thoi han hieu luc", "hieu luc den"},
		"validity_scope":   {"validity_scope", "pham vi hieu luc"},
		"procedure_code":   {"procedure_code", "ma thu tuc", "ma tthc", "ma thu tuc hanh chinh"},
		"dossier_code":     {"dossier_code", "ma ho so"},
		"result_type_code": {"result_type_code", "ma ket qua", "ma loai ket qua"},
		"dpi":              {"dpi", "do phan giai", "do phan giai dpi"},
		"scanned_by":       {"scanned_by", "nguoi quet", "nguoi so hoa", "can bo quet"},
	} {
		for _, a := range aliases {
			columns[foldHeader(a)] = canon
		}
	}
}

// foldHeader lowercases s, removes Vietnamese marks (đ → d) and turns runs
// of anything but letters and digits into one "_".
func foldHeader(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range norm.NFD.String(strings.ToLower(strings.TrimSpace(s))) {
		if r == 'đ' {
			r = 'd'
		}
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			sep = false
		default:
			sep = true
		}
	}
	return b.String()
}

// ParseManifest reads a CSV manifest (UTF-8, with or without BOM; comma or
// semicolon separated). Every data row is returned; a row that cannot be
// accepted carries a *RowError in Err. An error is returned only when the
// manifest as a whole is unusable (no header, no file column).
func ParseManifest(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("ingest: read manifest: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comma = sniffComma(data)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("ingest: manifest has no header row (bảng kê không có dòng tiêu đề): %w", ErrManifest)
	}
	index, err := headerIndex(header)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		line, _ := cr.FieldPos(0) // the csv reader skips blank lines: ask it
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rows = append(rows, Row{Line: line, Err: &RowError{Line: line, VI: "dòng CSV không đọc được", EN: "unreadable CSV line: " + err.Error()}})
			continue
		}
		if blank(rec) {
			continue
		}
		rows = append(rows, parseRow(line, rec, index))
	}
}

// Columns are the canonical names of a manifest's columns, in the order a
// form asks for them; the form of one document names its fields so.
var Columns = []string{"file", "doc_type_code", "doc_name", "number", "issued_on", "issuer", "holder_id", "holder_name",
	"summary", "valid_until", "validity_scope", "procedure_code", "dossier_code", "result_type_code", "dpi", "scanned_by"}

// RowFromFields returns the row of one document typed into a form rather
// than a manifest: fields by canonical column name (see Columns; "file"
// names the page files, joined by "|"), checked exactly as a manifest line
// is, so a mistake carries the same *RowError. Other keys are ignored.
func RowFromFields(line int, fields map[string]string) Row {
	rec := make([]string, 0, len(Columns))
	index := map[string]int{}
	for _, col := range Columns {
		index[col] = len(rec)
		rec = append(rec, fields[col])
	}
	return parseRow(line, rec, index)
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

func headerIndex(header []string) (map[string]int, error) {
	index := map[string]int{}
	for i, h := range header {
		if canon, ok := columns[foldHeader(h)]; ok {
			index[canon] = i
		}
	}
	for _, need := range []string{"file", "doc_name", "number", "issued_on", "issuer"} {
		if _, ok := index[need]; !ok {
			return nil, fmt.Errorf("ingest: bảng kê thiếu cột %q / manifest lacks column %q: %w", need, need, ErrManifest)
		}
	}
	return index, nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func parseRow(line int, rec []string, index map[string]int) Row {
	get := func(col string) string {
		if i, ok := index[col]; ok && i < len(rec) {
			return strings.TrimSpace(norm.NFC.String(rec[i]))
		}
		return ""
	}
	row := Row{Line: line}
	for _, f := range strings.Split(get("file"), "|") {
		if f = strings.TrimSpace(f); f != "" {
			row.Files = append(row.Files, f)
		}
	}
	fail := func(col, vi, en string) Row {
		row.Err = &RowError{Line: line, Column: col, VI: vi, EN: en}
		return row
	}
	var rerr *RowError
	row.Meta, rerr = ParseMetadata(get)
	row.Meta.ScannedBy = get("scanned_by")
	if get("file") == "" {
		return fail("file", "thiếu giá trị bắt buộc", "required value is missing")
	}
	// The resolution is read before a metadata fault is reported: a row
	// waiting for its metadata is normalised at the dpi its clerk confirmed.
	if v := get("dpi"); v != "" {
		d, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.ToLower(v), "dpi")), 64)
		if err != nil || d < minConfirmedDPI || d > maxConfirmedDPI {
			return fail("dpi", fmt.Sprintf("độ phân giải %q không hợp lệ, hãy ghi số dpi khi quét, ví dụ 300", v),
				fmt.Sprintf("invalid resolution %q, write the dpi the pages were scanned at, such as 300", v))
		}
		row.DPI = d
	}
	if rerr != nil {
		rerr.Line = line
		row.Err = rerr
	}
	return row
}

// The resolutions a clerk may confirm: any a document scanner offers.
const (
	minConfirmedDPI = 50
	maxConfirmedDPI = 2400
)

// dateLayouts are the spellings clerks use, Vietnamese day-first first.
var dateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", "2006-01-02"}

// ParseDate reads a calendar date; time.Parse rejects impossible dates such
// as 31/02.
func ParseDate(s string) (time.Time, error) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("ingest: date %q: %w", s, archive.ErrInvalid)
}
