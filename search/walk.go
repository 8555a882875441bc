package search

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Walking dates. A query sorted by issue date that matches many records
// would otherwise sort every match by its issued_sort doc value. walkDates
// instead reads the issue days present in the index (the issued_sort
// dictionary, one term per day), and runs the query on runs of days in sort
// order, newest (or oldest) first, until the page is full: only the
// matches of the days it visits are sorted. The first run spans about twice
// the days that should fill the page at the query's average matches per
// day; each further run is twice as long.

// walkBelow is when walkDates does not walk: a query matching at most
// walkBelow times the hits it needs is sorted whole.
const walkBelow = 8

// walkDates runs bq sorted by q.Sort (a date order) and returns its matches
// from+1 to from+size, with the total.
func (ix *Index) walkDates(ctx context.Context, q Query, bq query.Query, scored bool, from, size int) (*collected, error) {
	count, err := ix.collect(ctx, bq, false, 0, 0)
	if err != nil {
		return nil, err
	}
	need := from + size
	days, err := ix.issueDays(q)
	if err != nil {
		return nil, err
	}
	if count.total <= uint64(walkBelow*need) || len(days) < 2 {
		return ix.sortedPage(ctx, q, bq, scored, from, size, count)
	}
	if q.Sort == SortIssuedDesc {
		slices.Reverse(days)
	}
	perDay := float64(count.total) / float64(len(days))
	width := max(1, int(2*float64(need)/perDay))
	out := &collected{total: count.total, firstIDs: count.firstIDs, hits: []Hit{}}
	skip, seen := from, uint64(0)
	for i := 0; i < len(days) && len(out.hits) < size; i, width = i+width, 2*width {
		run := days[i:min(i+width, len(days))]
		var onDays query.Query = termsIn(fieldIssuedSort, run)
		if scored {
			onDays = leadQuery{q: onDays} // narrows without adding to the score
		}
		c := bleve.NewConjunctionQuery(bq, onDays)
		res, err := ix.runBleve(ctx, q, c, scored, 0, skip+size-len(out.hits))
		if err != nil {
			return nil, err
		}
		seen += res.Total
		if int(res.Total) <= skip {
			skip -= int(res.Total)
			continue
		}
		out.hits = append(out.hits, res.Hits[skip:]...)
		skip = 0
	}
	if len(out.hits) < size && seen < count.total {
		// Undated matches come last: sort the whole query for them.
		return ix.sortedPage(ctx, q, bq, scored, from, size, count)
	}
	return out, nil
}

// sortedPage is the page from bleve's sort of every match of bq.
func (ix *Index) sortedPage(ctx context.Context, q Query, bq query.Query, scored bool, from, size int, count *collected) (*collected, error) {
	res, err := ix.runBleve(ctx, q, bq, scored, from, size)
	if err != nil {
		return nil, err
	}
	return &collected{total: res.Total, hits: res.Hits, firstIDs: count.firstIDs}, nil
}

// issueDays returns the issued_sort terms from q.IssuedFrom to q.IssuedTo
// (open bounds: every day), in ascending order.
func (ix *Index) issueDays(q Query) ([]string, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer func() { _ = r.Close() }()
	lo, hi := sortKey(dayOf(q.IssuedFrom, minIssued)), sortKey(dayOf(q.IssuedTo, maxIssued))
	dict, err := r.FieldDictRange(fieldIssuedSort, []byte(lo), []byte(hi))
	if err != nil {
		return nil, fmt.Errorf("issue days: %w", err)
	}
	defer func() { _ = dict.Close() }()
	var days []string
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("issue days: %w", err)
		}
		if e == nil {
			return days, nil
		}
		days = append(days, e.Term)
	}
}
