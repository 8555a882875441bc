package signing

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pdf"
)

// maxFieldDepth bounds the walk of the form field tree (and so reference loops).
const maxFieldDepth = 16

// fieldInfo is what a signature field and its signature dictionary say about a
// signature.
type fieldInfo struct {
	m         time.Time // /M, the claimed signing time; zero when absent
	timestamp bool      // a document time-stamp (/SubFilter /ETSI.RFC3161)
	docMDP    int       // P of a DocMDP reference (certification signature); 0 if none
	lockP     int       // the lowest P of the field's /Lock and FieldMDP references; 0 if none
	widget    widgetRef // the field's widget
	place     *WidgetPlace
}

// restriction returns the DocMDP permission in force after the signature: the lowest
// of its certification's and its lock's, 0 when it sets none.
func (f fieldInfo) restriction() int {
	switch {
	case f.docMDP == 0:
		return f.lockP
	case f.lockP == 0:
		return f.docMDP
	}
	return min(f.docMDP, f.lockP)
}

// readSignatureFields parses the document structure and returns, for each signature
// field with a value, its ByteRange and what the field says. It fails when the
// structure cannot be read.
func readSignatureFields(data []byte) (fields map[[4]int64]fieldInfo, err error) {
	defer func() {
		if r := recover(); r != nil { // github.com/digitorus/pdf panics on some damage
			fields, err = nil, fmt.Errorf("%v", r)
		}
	}()
	if err := checkXrefBounds(data); err != nil {
		return nil, err
	}
	rdr, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	root := rdr.Trailer().Key("Root")
	if root.Kind() != pdf.Dict {
		return nil, fmt.Errorf("no document catalog")
	}
	fields = make(map[[4]int64]fieldInfo)
	steps := 0
	walkFields(root.Key("AcroForm").Key("Fields"), "", 0, &steps, fields)
	pages := indexPages(rdr)
	for br, f := range fields {
		f.place = pages.place(f.widget)
		fields[br] = f
	}
	return fields, nil
}

// walkFields adds the signature fields of the field array arr and their descendants to
// out. ft is the field type inherited from the parent; steps counts the fields visited,
// at most maxWalk.
func walkFields(arr pdf.Value, ft string, depth int, steps *int, out map[[4]int64]fieldInfo) {
	if depth > maxFieldDepth {
		return
	}
	for i := range arr.Len() {
		if *steps++; *steps > maxWalk {
			return
		}
		f := arr.Index(i)
		fieldType := ft
		if n := f.Key("FT").Name(); n != "" {
			fieldType = n
		}
		if v := f.Key("V"); fieldType == "Sig" && v.Key("ByteRange").Len() == 4 {
			var br [4]int64
			for j := range br {
				br[j] = v.Key("ByteRange").Index(j).Int64()
			}
			out[br] = describeField(f, v)
		}
		walkFields(f.Key("Kids"), fieldType, depth+1, steps, out)
	}
}

// describeField reads the signature field f with signature dictionary v.
func describeField(f, v pdf.Value) fieldInfo {
	info := fieldInfo{
		m:         parsePDFDate(v.Key("M").Text()),
		timestamp: v.Key("SubFilter").Name() == "ETSI.RFC3161" || v.Key("Type").Name() == "DocTimeStamp",
		lockP:     int(f.Key("Lock").Key("P").Int64()),
		widget:    readWidget(f),
	}
	refs := v.Key("Reference")
	for i := range refs.Len() {
		params := refs.Index(i).Key("TransformParams")
		switch refs.Index(i).Key("TransformMethod").Name() {
		case "DocMDP":
			info.docMDP = int(params.Key("P").Int64())
			if params.Key("P").IsNull() {
				info.docMDP = DocMDPFillAndSign // the default
			}
		case "FieldMDP":
			if p := int(params.Key("P").Int64()); p > 0 && (info.lockP == 0 || p < info.lockP) {
				info.lockP = p
			}
		}
	}
	return info
}

// parsePDFDate parses a PDF date "D:YYYYMMDDHHmmSSOHH'mm'" (ISO 32000-1 7.9.4), with
// the optional parts the standard allows missing. It returns the zero time for anything
// else.
func parsePDFDate(s string) time.Time {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits < 4 || digits > 14 || digits%2 != 0 {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405"[:digits], s[:digits])
	if err != nil {
		return time.Time{}
	}
	return t.Add(-zoneOffset(s[digits:]))
}

// zoneOffset parses the "Z", "+HH'mm'" or "-HH'mm" tail of a PDF date.
func zoneOffset(s string) time.Duration {
	if s == "" || s[0] == 'Z' {
		return 0
	}
	sign := time.Duration(1)
	if s[0] == '-' {
		sign = -1
	} else if s[0] != '+' {
		return 0
	}
	parts := strings.FieldsFunc(s[1:], func(r rune) bool { return r == '\'' })
	var d time.Duration
	if len(parts) > 0 {
		h, _ := strconv.Atoi(parts[0])
		d += time.Duration(h) * time.Hour
	}
	if len(parts) > 1 {
		m, _ := strconv.Atoi(parts[1])
		d += time.Duration(m) * time.Minute
	}
	return sign * d
}
