package ingest

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestTemplateRoundTrips(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := ParseManifest(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Err != nil {
		t.Fatalf("rows = %+v", rows)
	}
	r := rows[0]
	if r.Line != 2 || r.Meta.HolderID != "001089012345" || r.Meta.Number != "125/GPXD" || r.DPI != 300 ||
		r.Meta.IssuedOn != time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC) || len(r.Files) != 2 {
		t.Errorf("row = %+v", r)
	}
	// Every Vietnamese header names its column.
	for i, c := range templateColumns {
		if Columns[i] != c.canon || columns[foldHeader(c.vi)] != c.canon {
			t.Errorf("template column %d %q reads as %q, want %q", i, c.vi, columns[foldHeader(c.vi)], c.canon)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, err := f.GetDataValidations(manifestSheet)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, dv := range dvs {
		kinds[dv.Sqref] = dv.Type
	}
	if kinds["B2:B10001"] != "list" || kinds["E2:E10001"] != "date" || kinds["J2:J10001"] != "date" {
		t.Errorf("validations = %v", kinds)
	}
	comments, err := f.GetComments(manifestSheet)
	if err != nil || len(comments) != len(templateColumns) {
		t.Fatalf("comments = %v, %v", comments, err)
	}
	// Typed into the text-formatted holder ID column, a CCCD keeps its zero.
	if err := f.SetCellValue(manifestSheet, "G3", "001089012346"); err != nil {
		t.Fatal(err)
	}
	st, _ := f.GetCellStyle(manifestSheet, "G3")
	if style, err := f.GetStyle(st); err != nil || style.NumFmt != 49 {
		t.Errorf("the holder ID column's style is %+v (%v), want text (49)", style, err)
	}
}
