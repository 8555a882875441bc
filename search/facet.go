package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// FacetSize is the most values a facet reports, the most frequent first.
const FacetSize = 50

// Facets counts the records matching a query, over all pages, by field.
type Facets struct {
	DocType   []FacetCount `json:"doc_type_code"`
	Issuer    []FacetCount `json:"issuer"`
	Procedure []FacetCount `json:"procedure_code"`
	// ResultType counts by result type code (mã kết quả).
	ResultType []FacetCount `json:"result_type_code"`
	// Validity always holds Valid, Expired and Cancelled, in that order,
	// on the day of Query.Now.
	Validity []FacetCount `json:"validity"`
}

// FacetCount is how many matching records have Value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// termFacets are the facets counted by term, by bleve facet name (the
// field's name).
var termFacets = []string{fieldDocType, fieldIssuer, fieldProcedure, fieldResultType, fieldStatus}

// addFacets asks req for the term facets, and for the years records stay
// valid until, from which countValidity counts validity.
func addFacets(req *bleve.SearchRequest) {
	for _, field := range termFacets {
		req.AddFacet(field, bleve.NewFacetRequest(field, FacetSize))
	}
	req.AddFacet(fieldValidYear, bleve.NewFacetRequest(fieldValidYear, validYears))
}

// validYears bounds the valid_year terms a facet returns: every year
// rangeTerms can name, and the open end.
const validYears = 2199 - 1900 + 2

// validYear is the fieldValidYear term of a record valid until t.
func validYear(t time.Time) string { return t.Format("v2006") }

// countValidity fills in f's Valid and Expired counts: how many of the
// total records bq matches are valid, and expired, on q's day. Validity
// depends on the day asked about, so no indexed term holds it; the year a
// record stays valid until does (fieldValidYear), and the search counted
// those years (years, bleve's facet of res): a record open-ended or valid
// until a later year is valid, one of an earlier year expired, and only
// those of q's own year need a counting search, by day. Every record is
// indexed with exactly one of a cancelled status, an open end or its last
// day (mapping.go), so the records neither valid nor cancelled are the
// expired ones: what is left of total. (A last day after 2199, which
// rangeTerms cannot name, counts as expired.)
func (ix *Index) countValidity(ctx context.Context, q Query, bq query.Query, total uint64, years *search.FacetResult, f *Facets) error {
	today := q.today()
	this := validYear(today)
	valid, thisYear := 0, 0
	if years != nil && years.Terms != nil {
		for _, t := range years.Terms.Terms() {
			switch {
			case t.Term == openEnded, t.Term > this && t.Term <= validYear(maxIssued):
				valid += t.Count
			case t.Term == this:
				thisYear = t.Count
			}
		}
	}
	if thisYear > 0 {
		end := time.Date(today.Year(), 12, 31, 0, 0, 0, 0, today.Location())
		later := bleve.NewConjunctionQuery(bq, termIn(fieldValidYear, this), termsIn(fieldValidTo, rangeTerms(today, end)))
		req := bleve.NewSearchRequestOptions(later, 0, 0, false)
		req.Score = "none"
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: search %q: validity facet: %w", q.Text, err)
		}
		valid += int(res.Total)
	}
	f.Validity[0].Count = valid
	f.Validity[1].Count = max(0, int(total)-f.Validity[0].Count-f.Validity[2].Count)
	return nil
}

// facetsOf converts bleve's term facet results; nil gives empty facets.
// The Valid and Expired counts are left to countValidity.
func facetsOf(res search.FacetResults) *Facets {
	f := &Facets{
		DocType:    termCounts(res[fieldDocType]),
		Issuer:     termCounts(res[fieldIssuer]),
		Procedure:  termCounts(res[fieldProcedure]),
		ResultType: termCounts(res[fieldResultType]),
		Validity:   []FacetCount{{Value: Valid}, {Value: Expired}, {Value: Cancelled}},
	}
	for _, c := range termCounts(res[fieldStatus]) {
		if c.Value == statusCancelled {
			f.Validity[2].Count += c.Count
		}
	}
	return f
}

// termCounts returns r's terms, most frequent first, then by value.
func termCounts(r *search.FacetResult) []FacetCount {
	out := []FacetCount{}
	if r == nil || r.Terms == nil {
		return out
	}
	for _, t := range r.Terms.Terms() {
		out = append(out, FacetCount{Value: t.Term, Count: t.Count})
	}
	sortCounts(out)
	return out
}

func sortCounts(cs []FacetCount) {
	slices.SortFunc(cs, func(a, b FacetCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
}

// add adds g's counts to f. Either may be nil.
func (f *Facets) add(g *Facets) {
	if f == nil || g == nil {
		return
	}
	f.DocType = mergeCounts(f.DocType, g.DocType)
	f.Issuer = mergeCounts(f.Issuer, g.Issuer)
	f.Procedure = mergeCounts(f.Procedure, g.Procedure)
	f.ResultType = mergeCounts(f.ResultType, g.ResultType)
	for i := range f.Validity {
		f.Validity[i].Count += g.Validity[i].Count
	}
}

// mergeCounts sums a and b value by value, keeping the FacetSize most
// frequent.
func mergeCounts(a, b []FacetCount) []FacetCount {
	sum := make(map[string]int, len(a)+len(b))
	for _, c := range slices.Concat(a, b) {
		sum[c.Value] += c.Count
	}
	out := make([]FacetCount, 0, len(sum))
	for v, n := range sum {
		out = append(out, FacetCount{Value: v, Count: n})
	}
	sortCounts(out)
	return out[:min(len(out), FacetSize)]
}
