package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// typoBelow is when typo tolerance starts: a search whose words, as typed,
// match fewer records than this also returns the records that match with a
// one-letter typo in a name, after all the exact ones. The threshold does not
// depend on the page asked for, so Total and pages agree from page to page.
const typoBelow = 10

// plan is the bleve queries of one Query.
type plan struct {
	// exact matches the words as typed, and the filters.
	exact query.Query
	// typo matches, with the filters, what only typo tolerance finds; nil
	// when no word may be a typo.
	typo query.Query
	// noScore is set when no word scores the hits: filters only.
	noScore bool
}

// Search returns the page of records matching q. It returns an error
// wrapping archive.ErrInvalid when q is invalid, and ctx's error when ctx
// ends first.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	q, err := q.normalised()
	if err != nil {
		return nil, err
	}
	p, ok := ix.plan(q)
	if !ok {
		return emptyResult(q), nil
	}
	res, err := ix.run(ctx, q, p.exact, !p.noScore, q.Offset, q.Limit)
	if err != nil || p.typo == nil || res.Total >= typoBelow {
		return res, err
	}
	return ix.addTypos(ctx, q, p.typo, res)
}

// addTypos appends to res, the page of exact hits, the hits only typo
// tolerance finds, as if they followed every exact hit.
func (ix *Index) addTypos(ctx context.Context, q Query, typo query.Query, res *Result) (*Result, error) {
	from := max(0, q.Offset-int(res.Total))
	more, err := ix.run(ctx, q, typo, true, from, q.Limit-len(res.Hits))
	if err != nil {
		return nil, err
	}
	for _, h := range more.Hits {
		h.Typo = true
		res.Hits = append(res.Hits, h)
	}
	res.Total += more.Total
	res.Facets.add(more.Facets)
	return res, nil
}

// plan builds the bleve queries for q. It reports false when nothing can
// match: q.Scope is empty, or q.Text has no searchable word (only
// punctuation, say).
func (ix *Index) plan(q Query) (plan, bool) {
	if q.Scope.empty() {
		return plan{}, false
	}
	filter := filterQuery(q)
	if q.Text == "" {
		if filter == nil {
			return plan{exact: bleve.NewMatchAllQuery()}, true
		}
		return plan{exact: filter, noScore: true}, true
	}
	words := terms(ix.analyzer, q.Text)
	if len(words) == 0 {
		return plan{}, false
	}
	exact := exactText(words)
	p := plan{exact: narrowed(exact, filter)}
	if typo, ok := typoText(words); ok {
		b := bleve.NewBooleanQuery()
		b.AddMust(typo)
		b.AddMustNot(exact)
		p.typo = narrowed(b, filter)
	}
	return p, true
}

// narrowed returns must (match all when nil) narrowed by filter, which does
// not change scores (no filter when nil).
func narrowed(must, filter query.Query) query.Query {
	switch {
	case filter == nil && must == nil:
		return bleve.NewMatchAllQuery()
	case filter == nil:
		return must
	}
	b := bleve.NewBooleanQuery()
	if must != nil {
		b.AddMust(must)
	}
	b.AddFilter(filter)
	return b
}

// run executes bq and returns the page of size hits from from. Unless
// scored, every hit scores 0 and only the ID orders them.
func (ix *Index) run(ctx context.Context, q Query, bq query.Query, scored bool, from, size int) (*Result, error) {
	req := bleve.NewSearchRequestOptions(bq, size, from, false)
	if !scored {
		req.Score = "none"
	}
	req.SortByCustom(sortOrder(q.Sort))
	if q.Facets {
		addFacets(req)
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: search %q: %w", q.Text, err)
	}
	out := &Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score})
	}
	if q.Facets {
		out.Facets = facetsOf(res.Facets)
		if err := ix.countValidity(ctx, q, bq, out.Facets); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// emptyResult is the result of a query nothing can match.
func emptyResult(q Query) *Result {
	res := &Result{Hits: []Hit{}}
	if q.Facets {
		res.Facets = facetsOf(nil)
	}
	return res
}

// sortOrder is the bleve order of sort, always ending with the record ID.
func sortOrder(sort string) search.SortOrder {
	byID := &search.SortDocID{}
	switch sort {
	case SortIssuedDesc, SortIssuedAsc:
		return search.SortOrder{&search.SortField{
			Field: fieldIssuedSort, Desc: sort == SortIssuedDesc,
			Type: search.SortFieldAsString, Missing: search.SortFieldMissingLast,
		}, byID}
	}
	return search.SortOrder{&search.SortScore{Desc: true}, byID}
}
