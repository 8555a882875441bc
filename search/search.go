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
	// typo matches, with the filters, what typo tolerance finds, exact
	// matches included (Search leaves those out); nil when no word may be
	// a typo.
	typo query.Query
	// noScore is set when no word scores the hits: filters only.
	noScore bool
	// typoSet, when not nil, is typo unscored, for a typo query where
	// only one word may be the typo: all its matches score typoScore.
	typoSet   query.Query
	typoScore float64
	// names is the namesakes shortcut of exact; nil when a word has
	// digits.
	names *nameQuery
}

// Search returns the page of records matching q. It returns an error
// wrapping archive.ErrInvalid when q is invalid, and ctx's error when ctx
// ends first. It waits its turn when Config.MaxSearches searches are
// running.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	q, err := q.normalised()
	if err != nil {
		return nil, err
	}
	select {
	case ix.searching <- struct{}{}:
		defer func() { <-ix.searching }()
	case <-ctx.Done():
		return nil, fmt.Errorf("search: search %q: waiting for a turn: %w", q.Text, ctx.Err())
	}
	p, ok, err := ix.plan(q)
	if err != nil {
		return nil, fmt.Errorf("search: search %q: %w", q.Text, err)
	}
	if !ok {
		return emptyResult(q), nil
	}
	var res *Result
	var exactIDs []string
	done := false
	if p.names != nil && !q.Facets && q.Sort == SortRelevance {
		res, exactIDs, done, err = ix.namesakes(ctx, p.names, q.Offset, q.Limit)
		if err != nil {
			return nil, fmt.Errorf("search: search %q: %w", q.Text, err)
		}
	}
	if !done {
		res, exactIDs, err = ix.run(ctx, q, p.exact, !p.noScore, q.Offset, q.Limit)
	}
	if err != nil || p.typo == nil || res.Total >= typoBelow {
		return res, err
	}
	return ix.addTypos(ctx, q, p, res, exactIDs)
}

// addTypos appends to res, the page of exact hits, the hits only typo
// tolerance finds, as if they followed every exact hit. exactIDs are the
// IDs of every exact hit (fewer than typoBelow), or nil when run did not
// gather them. The exact hits are left out of the typo query by ID rather
// than by running the exact query again inside it.
func (ix *Index) addTypos(ctx context.Context, q Query, p plan, res *Result, exactIDs []string) (*Result, error) {
	if exactIDs == nil && res.Total > 0 {
		c, err := ix.collect(ctx, p.exact, false, 0, 0)
		if err != nil {
			return nil, fmt.Errorf("search: search %q: %w", q.Text, err)
		}
		exactIDs = c.firstIDs
	}
	typo, typoSet := p.typo, p.typoSet
	if len(exactIDs) > 0 {
		typo = without(typo, exactIDs)
		if typoSet != nil {
			typoSet = without(typoSet, exactIDs)
		}
	}
	from := max(0, q.Offset-int(res.Total))
	var more *Result
	var err error
	if typoSet != nil && !q.Facets && q.Sort == SortRelevance {
		// Every match scores the same: take them by ID, unscored.
		more, _, err = ix.run(ctx, q, typoSet, false, from, q.Limit-len(res.Hits))
		if more != nil {
			for i := range more.Hits {
				more.Hits[i].Score = p.typoScore
			}
		}
	} else {
		more, _, err = ix.run(ctx, q, typo, true, from, q.Limit-len(res.Hits))
	}
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
func (ix *Index) plan(q Query) (plan, bool, error) {
	if q.Scope.empty() {
		return plan{}, false, nil
	}
	filter := filterQuery(q)
	if q.Text == "" {
		if filter == nil {
			return plan{exact: bleve.NewMatchAllQuery()}, true, nil
		}
		return plan{exact: filter, noScore: true}, true, nil
	}
	b := readBox(ix.analyzer, q.Text)
	words := b.words
	if len(words) == 0 {
		return plan{}, false, nil
	}
	p := plan{exact: boxQuery(b, filter), names: newNameQuery(words, filter)}
	if p.names == nil {
		return p, true, nil // digits (and so any code reading): no typo tolerance
	}
	st, err := ix.wordStats(words)
	if err != nil {
		return plan{}, false, err
	}
	p.names.score = st.topScore(words)
	if t, ok := typoText(words, st); ok {
		b := bleve.NewBooleanQuery()
		b.AddMust(led([]query.Query{t.set}, filter, []query.Query{t.scored})...)
		p.typo = b
		if t.single {
			p.typoSet, p.typoScore = narrowed(t.set, filter), t.score
		}
	}
	return p, true, nil
}

// without is bq less the records ids.
func without(bq query.Query, ids []string) query.Query {
	b := bleve.NewBooleanQuery()
	b.AddMust(bq)
	b.AddMustNot(bleve.NewDocIDQuery(ids))
	return b
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

// run executes bq and returns the page of size hits from from, and, when
// it gathered them, the IDs of every hit if there are fewer than
// typoBelow. Unless scored, every hit scores 0 and only the ID orders them.
// Without facets, run collects hits itself (collect, walkDates); with
// facets, bleve does.
func (ix *Index) run(ctx context.Context, q Query, bq query.Query, scored bool, from, size int) (*Result, []string, error) {
	if !q.Facets {
		var c *collected
		var err error
		if q.Sort == SortRelevance {
			c, err = ix.collect(ctx, bq, scored, from, size)
		} else {
			c, err = ix.walkDates(ctx, q, bq, scored, from, size)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("search: search %q: %w", q.Text, err)
		}
		var ids []string
		if c.total < typoBelow {
			ids = c.firstIDs
		}
		return &Result{Total: c.total, Hits: c.hits}, ids, nil
	}
	res, err := ix.runBleve(ctx, q, bq, scored, from, size)
	return res, nil, err
}

// runBleve is run through bleve's collector, with facets when q asks.
func (ix *Index) runBleve(ctx context.Context, q Query, bq query.Query, scored bool, from, size int) (*Result, error) {
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
		if err := ix.countValidity(ctx, q, bq, res.Total, res.Facets[fieldValidYear], out.Facets); err != nil {
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
