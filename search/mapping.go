package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/khoso-vn/khoso/archive"
)

// mappingVersion identifies the mapping built by newMapping. Bump it whenever
// the fields, their options or the analyzer change: Open then reports older
// indexes as stale.
const mappingVersion = "1"

// versionKey is the bleve internal key holding mappingVersion.
var versionKey = []byte("khoso.search.mapping_version")

// Indexed field names.
const (
	fieldDocType       = "doc_type_code"
	fieldDocName       = "doc_name"
	fieldNumber        = "number"
	fieldIssuer        = "issuer"
	fieldHolderID      = "holder_id"
	fieldHolderName    = "holder_name"
	fieldSummary       = "summary"
	fieldValidityScope = "validity_scope"
	fieldProcedure     = "procedure_code"
	fieldDossier       = "dossier_code"
	fieldIssuedOn      = "issued_on"
	fieldValidUntil    = "valid_until"
	fieldBatchID       = "batch_id"
	// fieldText holds every text field's value together. Free text must
	// match here, so a word weighs the same whichever field holds it.
	fieldText = "text"
)

// textFields are the metadata fields analysed as Vietnamese text. Each is
// indexed on its own and again, together, in fieldText.
var textFields = []string{
	fieldHolderName, fieldNumber, fieldDocName, fieldIssuer, fieldSummary, fieldValidityScope,
}

// boostedFields add to the score of a hit whose free-text words they hold:
// they are what case handlers search by.
var boostedFields = []struct {
	name  string
	boost float64
}{
	{fieldHolderName, 2},
	{fieldNumber, 2},
}

var keywordFields = []string{fieldDocType, fieldHolderID, fieldProcedure, fieldDossier, fieldBatchID}

var dateFields = []string{fieldIssuedOn, fieldValidUntil}

// newMapping returns the index mapping: a static document mapping with the
// fields above and viAnalyzer as the default analyzer.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := addVietnameseAnalyzer(m); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = viAnalyzer
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false

	doc := bleve.NewDocumentStaticMapping()
	for _, name := range textFields {
		doc.AddFieldMappingsAt(name, textField())
	}
	doc.AddFieldMappingsAt(fieldText, textField())
	for _, name := range keywordFields {
		doc.AddFieldMappingsAt(name, keywordField())
	}
	for _, name := range dateFields {
		doc.AddFieldMappingsAt(name, dateField())
	}
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m.DefaultMapping = doc
	return m, nil
}

func textField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = viAnalyzer
	f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
	return f
}

func keywordField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
	return f
}

func dateField() *mapping.FieldMapping {
	f := bleve.NewDateTimeFieldMapping()
	f.Store, f.IncludeInAll = false, false
	return f
}

// document is what Put hands to bleve for r: every non-empty metadata value
// under its field name, and the text fields together under fieldText. Empty
// strings and zero times are left out, so an open-ended permit has no
// valid_until and a blank keyword matches nothing.
func document(r *archive.Record) map[string]any {
	m := r.Meta
	doc := make(map[string]any, 14)
	for name, v := range map[string]string{
		fieldDocType: m.DocTypeCode, fieldDocName: m.DocName, fieldNumber: m.Number,
		fieldIssuer: m.Issuer, fieldHolderID: m.HolderID, fieldHolderName: m.HolderName,
		fieldSummary: m.Summary, fieldValidityScope: m.ValidityScope,
		fieldProcedure: m.ProcedureCode, fieldDossier: m.DossierCode, fieldBatchID: r.BatchID,
	} {
		if v != "" {
			doc[name] = v
		}
	}
	var text []string
	for _, name := range textFields {
		if v, ok := doc[name].(string); ok {
			text = append(text, v)
		}
	}
	if len(text) > 0 {
		doc[fieldText] = strings.Join(text, "\n")
	}
	if !m.IssuedOn.IsZero() {
		doc[fieldIssuedOn] = m.IssuedOn
	}
	if !m.ValidUntil.IsZero() {
		doc[fieldValidUntil] = m.ValidUntil
	}
	return doc
}
