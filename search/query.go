package search

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// Paging limits of Query.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// Validity values of Query.Validity and of the validity facet.
const (
	Valid     = "valid"     // not cancelled; open-ended or valid_until on or after Query.Now's day
	Expired   = "expired"   // not cancelled; valid_until before Query.Now's day
	Cancelled = "cancelled" // cancelled (see Doc.Cancelled), whatever its dates
)

// Sort orders of Query.Sort.
const (
	SortRelevance  = "relevance"   // score, highest first; the default
	SortIssuedDesc = "issued_desc" // issue date, newest first; undated last
	SortIssuedAsc  = "issued_asc"  // issue date, oldest first; undated last
)

// Query is a search over the index. Its conditions all apply together.
type Query struct {
	// Text is free text over holder name, document name, number, issuer,
	// summary and validity scope, with or without diacritics. Every word must
	// match, except that a holder ID or a document number typed in it also
	// matches as a code, without its separators or after "Số" (see the
	// package documentation, The search box). Empty matches every record.
	Text string
	// DocType keeps records of this document type code (exact). Empty: any.
	DocType string
	// HolderID keeps records of this holder ID (exact). Empty: any.
	HolderID string
	// Issuer keeps records of this issuer, written as the issuer facet
	// reports it (exact, after NFC and white-space clean-up). Empty: any.
	Issuer string
	// ProcedureCode keeps records of this procedure code (exact). Empty: any.
	ProcedureCode string
	// ResultType keeps records of this result type code (mã kết quả, such
	// as KQ.G15.000031; exact). Empty: any.
	ResultType string
	// Validity keeps records that are Valid, Expired or Cancelled on Now's
	// day. Empty: any.
	Validity string
	// Now is the moment Validity and the validity facet refer to; only its
	// calendar day (in its own location) counts. Zero: the time of the search.
	Now time.Time
	// IssuedFrom keeps records issued at or after it. Zero: open.
	IssuedFrom time.Time
	// IssuedTo keeps records issued at or before it. Zero: open.
	IssuedTo time.Time
	// Scope is what the caller may see; it filters inside the query, so
	// Total, facets and pages count only visible records. The zero Scope
	// sees nothing.
	Scope Scope
	// Sort is SortRelevance (the default when empty), SortIssuedDesc or
	// SortIssuedAsc. Ties are broken by record ID, so pages are stable.
	Sort string
	// Facets asks for Result.Facets.
	Facets bool
	// Limit is the most hits returned. Zero or less means DefaultLimit; more
	// than MaxLimit means MaxLimit.
	Limit int
	// Offset is how many hits to skip, for paging. Must not be negative.
	Offset int
}

// Scope is the set of records a caller may see. A record is visible when
// All is set, or its agency is in Agencies, or its holder ID is in HolderIDs,
// or its ID is in RecordIDs (records shared with the caller). A Scope with
// none of these sees nothing: empty never means everything.
type Scope struct {
	// All sees every record: administrators and auditors.
	All bool
	// Agencies are agency codes (Doc.Agency) whose records are visible.
	Agencies []string
	// HolderIDs are holder IDs (CCCD, tax code) whose records are visible.
	HolderIDs []string
	// RecordIDs are records visible one by one, such as shares.
	RecordIDs []string
}

// empty reports whether s sees nothing.
func (s Scope) empty() bool {
	return !s.All && len(s.Agencies) == 0 && len(s.HolderIDs) == 0 && len(s.RecordIDs) == 0
}

// Hit is one matching record.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
	// Typo is set on a hit that matched only with a one-letter typo in a
	// name; such hits follow every exact one.
	Typo bool `json:"typo,omitempty"`
}

// Result is one page of hits, in Query.Sort order (by score, highest first,
// by default), then by ID.
type Result struct {
	// Total counts every matching record, not only this page.
	Total uint64 `json:"total"`
	// Hits is never nil.
	Hits []Hit `json:"hits"`
	// Facets counts the matching records by field; nil unless Query.Facets.
	Facets *Facets `json:"facets,omitempty"`
}

// normalised validates q and applies its defaults.
func (q Query) normalised() (Query, error) {
	if err := q.validate(); err != nil {
		return q, err
	}
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}
	if q.Sort == "" {
		q.Sort = SortRelevance
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	q.Text = strings.TrimSpace(q.Text)
	q.DocType, q.HolderID = keyword(q.DocType), keyword(q.HolderID)
	q.Issuer, q.ProcedureCode = keyword(q.Issuer), keyword(q.ProcedureCode)
	q.ResultType = keyword(q.ResultType)
	return q, nil
}

func (q Query) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("search: query: "+format+": %w", append(args, archive.ErrInvalid)...)
	}
	switch {
	case q.Offset < 0:
		return bad("negative Offset %d", q.Offset)
	case !q.IssuedFrom.IsZero() && !q.IssuedTo.IsZero() && q.IssuedFrom.After(q.IssuedTo):
		return bad("IssuedFrom %s is after IssuedTo %s",
			q.IssuedFrom.Format(time.DateOnly), q.IssuedTo.Format(time.DateOnly))
	case q.Validity != "" && !slices.Contains([]string{Valid, Expired, Cancelled}, q.Validity):
		return bad("Validity %q is not %s, %s or %s", q.Validity, Valid, Expired, Cancelled)
	case q.Sort != "" && !slices.Contains([]string{SortRelevance, SortIssuedDesc, SortIssuedAsc}, q.Sort):
		return bad("Sort %q is not %s, %s or %s", q.Sort, SortRelevance, SortIssuedDesc, SortIssuedAsc)
	}
	return nil
}

// today is the first instant of q.Now's calendar day, as the UTC midnight
// dates are stored at.
func (q Query) today() time.Time {
	y, m, d := q.Now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
