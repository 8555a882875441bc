package ingest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/khoso-vn/khoso/archive"
)

// MetadataFields are the manifest columns of a record's metadata, in the
// order a form shows them. A form's fields are named like the columns, so
// ParseMetadata reads both.
var MetadataFields = []string{"doc_type_code", "doc_name", "number", "issued_on", "issuer", "holder_id",
	"holder_name", "summary", "valid_until", "validity_scope", "procedure_code", "dossier_code", "result_type_code"}

// RequiredFields are the metadata fields every record must carry.
var RequiredFields = []string{"doc_name", "number", "issued_on", "issuer"}

// Longest values of the metadata fields, in characters.
const (
	MaxCodeLen = archive.MaxDossierCode // codes, numbers and IDs
	MaxTextLen = 2000                   // names, the issuer, the summary and the validity scope
)

// MaxLen is the longest value of a metadata field, in characters.
func MaxLen(field string) int {
	switch field {
	case "doc_type_code", "number", "holder_id", "procedure_code", "dossier_code", "result_type_code":
		return MaxCodeLen
	}
	return MaxTextLen
}

// ParseMetadata reads the metadata fields of a manifest row or a form,
// get returning a field's trimmed text, and checks them by the manifest's
// rules (CheckMetadata). On error the metadata holds what could be read
// and the *RowError (Line 0) names the field.
func ParseMetadata(get func(field string) string) (archive.Metadata, *RowError) {
	var m archive.Metadata
	m.DocTypeCode, m.DocName, m.Number = get("doc_type_code"), get("doc_name"), get("number")
	m.Issuer, m.HolderID, m.HolderName = get("issuer"), get("holder_id"), get("holder_name")
	m.Summary, m.ValidityScope = get("summary"), get("validity_scope")
	m.ProcedureCode, m.DossierCode = get("procedure_code"), get("dossier_code")
	m.ResultTypeCode = get("result_type_code")
	// Every date that reads is kept, so a form shows it, whatever else is
	// wrong; the first fault is the one reported.
	var first *RowError
	keep := func(e *RowError) {
		if first == nil {
			first = e
		}
	}
	for _, req := range RequiredFields {
		if get(req) == "" {
			keep(missing(req))
		}
	}
	if m.HolderID == "" && m.HolderName == "" {
		keep(noHolder())
	}
	for _, d := range []struct {
		field string
		dst   *time.Time
	}{{"issued_on", &m.IssuedOn}, {"valid_until", &m.ValidUntil}} {
		if v := get(d.field); v != "" {
			t, err := ParseDate(v)
			if err != nil {
				keep(badDate(d.field, v))
				continue
			}
			*d.dst = t
		}
	}
	if first != nil {
		return m, first
	}
	return m, CheckMetadata(m)
}

// CheckMetadata checks metadata by the rules a manifest row follows: the
// required fields, a holder, sizes, and a validity that does not end before
// the issue date. The *RowError (Line 0) names the field; nil when m is
// good.
func CheckMetadata(m archive.Metadata) *RowError {
	text := map[string]string{"doc_type_code": m.DocTypeCode, "doc_name": m.DocName, "number": m.Number,
		"issuer": m.Issuer, "holder_id": m.HolderID, "holder_name": m.HolderName, "summary": m.Summary,
		"validity_scope": m.ValidityScope, "procedure_code": m.ProcedureCode, "dossier_code": m.DossierCode,
		"result_type_code": m.ResultTypeCode}
	for _, f := range RequiredFields {
		if v, ok := text[f]; ok && strings.TrimSpace(v) == "" {
			return missing(f)
		}
	}
	if m.IssuedOn.IsZero() {
		return missing("issued_on")
	}
	if strings.TrimSpace(m.HolderID) == "" && strings.TrimSpace(m.HolderName) == "" {
		return noHolder()
	}
	for _, f := range MetadataFields {
		limit := MaxLen(f)
		if v := text[f]; utf8.RuneCountInString(v) > limit || !utf8.ValidString(v) {
			return &RowError{Column: f, VI: fmt.Sprintf("dài quá %d ký tự hoặc không phải UTF-8", limit),
				EN: fmt.Sprintf("longer than %d characters or not UTF-8", limit)}
		}
	}
	if !m.ValidUntil.IsZero() && m.ValidUntil.Before(m.IssuedOn) {
		return &RowError{Column: "valid_until", VI: "thời hạn hiệu lực trước ngày cấp", EN: "valid until is before the issue date"}
	}
	return nil
}

func missing(field string) *RowError {
	return &RowError{Column: field, VI: "thiếu giá trị bắt buộc", EN: "required value is missing"}
}

func noHolder() *RowError {
	return &RowError{Column: "holder_id", VI: "cần số định danh hoặc tên chủ hồ sơ", EN: "a holder ID or holder name is required"}
}

func badDate(field, v string) *RowError {
	return &RowError{Column: field, VI: fmt.Sprintf("ngày %q không hợp lệ, hãy ghi dd/mm/yyyy", v),
		EN: fmt.Sprintf("invalid date %q, write dd/mm/yyyy", v)}
}
