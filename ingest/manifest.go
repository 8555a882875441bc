package ingest

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	// Headers are the manifest's column headers as the clerk wrote them,
	// by canonical column, for messages found later; nil for a form.
	Headers map[string]string
}

// RowError names the manifest row and column a problem is in.
type RowError struct {
	Line   int
	Column string // the canonical column name (see Columns)
	// Header is the column's header as the clerk wrote it in the manifest,
	// "Số, ký hiệu"; "" for a form, whose labels name the field.
	Header string
	VI, EN string // what is wrong, in Vietnamese and English
}

func (e *RowError) Error() string {
	col := e.Column
	if e.Header != "" {
		col = e.Header
		if strings.ContainsFunc(col, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && r != '_' }) {
			col = "“" + col + "”" // "Số, ký hiệu" holds a comma
		}
	}
	if e.Line == 0 {
		if col == "" {
			return e.VI + " / " + e.EN
		}
		return fmt.Sprintf("cột %s: %s / column %s: %s", col, e.VI, col, e.EN)
	}
	if col == "" {
		return fmt.Sprintf("dòng %d: %s / row %d: %s", e.Line, e.VI, e.Line, e.EN)
	}
	return fmt.Sprintf("dòng %d, cột %s: %s / row %d, column %s: %s", e.Line, col, e.VI, e.Line, col, e.EN)
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

// Limits of a manifest: the bytes of its file and its data rows.
const (
	MaxManifestBytes = 32 << 20 // the CSV or XLSX file as sent
	MaxManifestRows  = 10000    // data rows, blank ones not counted
)

// ParseManifest reads a manifest: a CSV file (UTF-8 with or without BOM,
// or UTF-16 with a BOM; comma or semicolon separated) or an Excel workbook
// (XLSX, told by its content: see IsXLSX). Every data row is returned; a
// row that cannot be accepted carries a *RowError in Err naming the column
// by the header the clerk wrote. An error is returned only when the
// manifest as a whole is unusable: too large, too many rows, not UTF-8, no
// header, no file column.
func ParseManifest(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxManifestBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ingest: read manifest: %w", err)
	}
	if len(data) > MaxManifestBytes {
		return nil, archive.NewError(ErrManifest,
			fmt.Sprintf("bảng kê quá lớn: tối đa %d MiB; hãy chia thành nhiều lô", MaxManifestBytes>>20),
			fmt.Sprintf("the manifest is too large: at most %d MiB; split it into several batches", MaxManifestBytes>>20))
	}
	var t *table
	if IsXLSX(data) {
		t, err = readXLSX(data, maxUnzippedBytes)
	} else {
		t, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	return t.rows(), nil
}

// table is a manifest read from its file: the header as the clerk wrote
// it and the data lines, not yet checked.
type table struct {
	header []string
	index  map[string]int // column position by canonical name
	lines  []tableLine
}

// tableLine is one data line of a manifest.
type tableLine struct {
	line   int
	fields []string
	err    error     // the line could not be read
	fault  *RowError // a cell the file format shows is wrong (Column set)
}

// headers are the header texts of t by canonical column.
func (t *table) headers() map[string]string {
	h := make(map[string]string, len(t.index))
	for canon, i := range t.index {
		h[canon] = strings.TrimSpace(norm.NFC.String(t.header[i]))
	}
	return h
}

// rows checks every line of t as a Row.
func (t *table) rows() []Row {
	headers := t.headers()
	rows := make([]Row, 0, len(t.lines))
	for _, l := range t.lines {
		if l.err != nil {
			rows = append(rows, Row{Line: l.line, Err: l.err})
			continue
		}
		row := parseRow(l.line, l.fields, t.index)
		row.Headers = headers
		if l.fault == nil {
			l.fault = numberLike(l.line, l.fields, t.index)
		}
		if l.fault != nil && metadataFault(row.Err) {
			row.Err = l.fault
		}
		var re *RowError
		if errors.As(row.Err, &re) && re.Column != "" {
			re.Header = headers[re.Column]
		}
		rows = append(rows, row)
	}
	return rows
}

// metadataFault reports whether err is nil or a fault of a metadata
// field, which a cell's fault may take the place of; a row whose files or
// resolution are wrong keeps that reason.
func metadataFault(err error) bool {
	var re *RowError
	if err == nil {
		return true
	}
	return errors.As(err, &re) && re.Column != "" && re.Column != "file" && re.Column != "dpi"
}

// numberLike finds an identity (number, holder ID) that a spreadsheet
// turned into a number and wrote back in scientific notation, 1.01E+11:
// its digits are lost.
func numberLike(line int, rec []string, index map[string]int) *RowError {
	for _, col := range idColumns {
		if i, ok := index[col]; ok && i < len(rec) && scientific.MatchString(strings.TrimSpace(rec[i])) {
			return lostDigits(line, col, strings.TrimSpace(rec[i]))
		}
	}
	return nil
}

// idColumns are the columns whose values are identities written with
// digits that a spreadsheet must keep as text.
var idColumns = []string{"number", "holder_id"}

var scientific = regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)?[eE][+-]?[0-9]+$`)

func lostDigits(line int, col, v string) *RowError {
	return &RowError{Line: line, Column: col,
		VI: fmt.Sprintf("Excel đã lưu %q dạng số nên có thể đã mất số 0 ở đầu hoặc các chữ số cuối; "+
			"hãy định dạng cột là Văn bản (Text), gõ lại đúng giá trị rồi gửi lại", v),
		EN: fmt.Sprintf("Excel stored %q as a number, which loses leading zeros or trailing digits; "+
			"format the column as Text, type the value again and send it again", v)}
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

func headerIndex(header []string) (map[string]int, error) {
	index := map[string]int{}
	for i, h := range header {
		if canon, ok := columns[foldHeader(h)]; ok {
			index[canon] = i
		}
	}
	for _, need := range []string{"file", "doc_name", "number", "issued_on", "issuer"} {
		if _, ok := index[need]; !ok {
			vi := templateHeader(need)
			return nil, archive.NewError(ErrManifest,
				fmt.Sprintf("bảng kê thiếu cột “%s” (%s) ở dòng tiêu đề", vi, need),
				fmt.Sprintf("the manifest's header row lacks the column “%s” (%s)", vi, need))
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
	if by := row.Meta.ScannedBy; utf8.RuneCountInString(by) > MaxTextLen && rerr == nil {
		rerr = &RowError{Column: "scanned_by", VI: fmt.Sprintf("dài quá %d ký tự", MaxTextLen),
			EN: fmt.Sprintf("longer than %d characters", MaxTextLen)}
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
