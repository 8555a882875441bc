package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/archive"
)

// mappingVersion identifies the mapping built by newMapping. Bump it whenever
// the fields, their options or the analyzer change: Open then reports older
// indexes as stale.
//
// Version 2 added agency, status, valid_to, issued terms and the issuer
// keyword, and dropped what no query reads: the per-field copies of text
// that only fieldText is searched in, dossier_code and batch_id.
// Version 3 added number_key and holder_key, the code keys of the number
// and the holder ID (keys.go).
// Version 4 added result_type_code and the record's result code to
// number_key.
// Version 5 added valid_year, for the validity facet.
const mappingVersion = "5"

// versionKey is the bleve internal key holding mappingVersion.
var versionKey = []byte("khoso.search.mapping_version")

// Indexed field names.
const (
	fieldDocType    = "doc_type_code"
	fieldIssuer     = "issuer"
	fieldHolderID   = "holder_id"
	fieldHolderName = "holder_name"
	fieldProcedure  = "procedure_code"
	fieldResultType = "result_type_code"
	fieldAgency     = "agency"
	fieldStatus     = "status"
	// fieldIssued holds a record's issue date as terms (see dates.go);
	// fieldIssuedSort holds it as one sortable term.
	fieldIssued     = "issued"
	fieldIssuedSort = "issued_sort"
	// fieldValidTo holds the last day a record is valid as terms, like
	// fieldIssued; openEnded when it has no valid_until; nothing when it
	// is cancelled.
	fieldValidTo = "valid_to"
	// fieldValidYear holds the year of a record's last valid day
	// (validYear), openEnded when it has none, nothing when it is
	// cancelled: few terms, kept as doc values, so the validity facet is
	// counted from the search's own hits (facet.go).
	fieldValidYear = "valid_year"
	// fieldText holds every text field's value together. Free text must
	// match here, so a word weighs the same whichever field holds it.
	fieldText = "text"
	// fieldNumberKey holds the number's code keys, compact and grouped
	// (numberTerms); fieldHolderKey the holder ID's compact key
	// (holderKey). The search box matches codes typed without their
	// separators there.
	fieldNumberKey = "number_key"
	fieldHolderKey = "holder_key"
)

// statusCancelled is the status term of a cancelled record.
const statusCancelled = "cancelled"

// StatusCancelled is the archive.Status a catalog may give a record whose
// result was revoked; Put indexes such a record as cancelled.
const StatusCancelled archive.Status = statusCancelled

// openEnded is the fieldValidTo term of a record without valid_until.
const openEnded = "open"

// nameBoost is the bonus of a free-text word found in the holder name, what
// case handlers search by most. holder_name also takes typo-tolerant
// queries.
const nameBoost = 2

// keywordFields are matched exactly; so are facetFields, which also keep doc
// values for facets and sorting.
var (
	keywordFields = []string{fieldHolderID, fieldAgency, fieldIssued, fieldValidTo,
		fieldNumberKey, fieldHolderKey}
	facetFields = []string{fieldDocType, fieldIssuer, fieldProcedure, fieldResultType, fieldStatus, fieldIssuedSort, fieldValidYear}
)

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
	doc.AddFieldMappingsAt(fieldHolderName, textField())
	doc.AddFieldMappingsAt(fieldText, textField())
	for _, name := range keywordFields {
		doc.AddFieldMappingsAt(name, keywordField(false))
	}
	for _, name := range facetFields {
		doc.AddFieldMappingsAt(name, keywordField(true))
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

func keywordField(docValues bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, docValues
	return f
}

// Doc is what the index holds about one record: its metadata plus what the
// record does not carry itself.
type Doc struct {
	// Record is the record to index. Required, with an ID.
	Record *archive.Record
	// Agency is the code of the agency the record belongs to (the batch's
	// agency); Scope.Agencies matches it. Empty: visible only through
	// Scope.All, Scope.HolderIDs or Scope.RecordIDs.
	Agency string
	// Cancelled marks a revoked result. A record whose Status is
	// StatusCancelled is cancelled too.
	Cancelled bool
}

func (d Doc) cancelled() bool { return d.Cancelled || d.Record.Status == StatusCancelled }

// document is what PutDoc hands to bleve for d: every non-empty metadata value
// under its field name, and the text fields together under fieldText. Empty
// strings and zero times are left out, so a blank keyword matches nothing.
func document(d Doc) map[string]any {
	m := d.Record.Meta
	doc := make(map[string]any, 16)
	for name, v := range map[string]string{
		fieldDocType: keyword(m.DocTypeCode), fieldHolderName: m.HolderName,
		fieldIssuer: keyword(m.Issuer), fieldHolderID: keyword(m.HolderID),
		fieldProcedure: keyword(m.ProcedureCode), fieldAgency: keyword(d.Agency),
		fieldHolderKey: holderKey(m.HolderID), fieldResultType: keyword(m.ResultTypeCode),
	} {
		if v != "" {
			doc[name] = v
		}
	}
	// The result code is a code like the number: the search box finds
	// either with or without their separators.
	if keys := append(numberTerms(m.Number), numberTerms(d.Record.ResultCode)...); keys != nil {
		doc[fieldNumberKey] = keys
	}
	if text := joinText(m); text != "" {
		doc[fieldText] = text
	}
	if !m.IssuedOn.IsZero() {
		doc[fieldIssued] = dayTerms(m.IssuedOn)
		doc[fieldIssuedSort] = sortKey(m.IssuedOn)
	}
	switch {
	case d.cancelled():
		doc[fieldStatus] = statusCancelled
	case m.ValidUntil.IsZero():
		doc[fieldValidTo] = openEnded
		doc[fieldValidYear] = openEnded
	default:
		doc[fieldValidTo] = dayTerms(m.ValidUntil)
		doc[fieldValidYear] = validYear(m.ValidUntil)
	}
	return doc
}

// joinText joins the free-text fields of m: holder name, number, document
// name, issuer, summary and validity scope.
func joinText(m archive.Metadata) string {
	var text []string
	for _, v := range []string{m.HolderName, m.Number, m.DocName, m.Issuer, m.Summary, m.ValidityScope} {
		if v != "" {
			text = append(text, v)
		}
	}
	return strings.Join(text, "\n")
}

// keyword normalises an exact-match value: NFC, runs of white space as one
// space, no space at either end. Index and query both use it, so an issuer
// typed in NFD or with a double space still matches.
func keyword(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}
