package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/khoso-vn/khoso/archive"
)

// Paging limits of Query.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
)

// Query is a search over the index. Its conditions all apply together.
type Query struct {
	// Text is free text over holder name, document name, number, issuer,
	// summary and validity scope, with or without diacritics. Every word must
	// match. Empty matches every record.
	Text string
	// DocType keeps records of this document type code (exact). Empty: any.
	DocType string
	// HolderID keeps records of this holder ID (exact). Empty: any.
	HolderID string
	// IssuedFrom keeps records issued at or after it. Zero: open.
	IssuedFrom time.Time
	// IssuedTo keeps records issued at or before it. Zero: open.
	IssuedTo time.Time
	// Limit is the most hits returned. Zero or less means DefaultLimit; more
	// than MaxLimit means MaxLimit.
	Limit int
	// Offset is how many hits to skip, for paging. Must not be negative.
	Offset int
}

// Hit is one matching record.
type Hit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Result is one page of hits, ordered by score (highest first), then by ID.
type Result struct {
	// Total counts every matching record, not only this page.
	Total uint64 `json:"total"`
	// Hits is never nil.
	Hits []Hit `json:"hits"`
}

// normalised validates q and applies its defaults.
func (q Query) normalised() (Query, error) {
	if q.Offset < 0 {
		return q, fmt.Errorf("search: query: negative Offset %d: %w", q.Offset, archive.ErrInvalid)
	}
	if !q.IssuedFrom.IsZero() && !q.IssuedTo.IsZero() && q.IssuedFrom.After(q.IssuedTo) {
		return q, fmt.Errorf("search: query: IssuedFrom %s is after IssuedTo %s: %w",
			q.IssuedFrom.Format(time.DateOnly), q.IssuedTo.Format(time.DateOnly), archive.ErrInvalid)
	}
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}
	q.Text = strings.TrimSpace(q.Text)
	q.DocType = strings.TrimSpace(q.DocType)
	q.HolderID = strings.TrimSpace(q.HolderID)
	return q, nil
}

// Search returns the page of records matching q.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	q, err := q.normalised()
	if err != nil {
		return nil, err
	}
	bq, ok := ix.query(q)
	if !ok {
		return &Result{Hits: []Hit{}}, nil
	}
	req := bleve.NewSearchRequestOptions(bq, q.Limit, q.Offset, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: search %q: %w", q.Text, err)
	}
	out := &Result{Total: res.Total, Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{ID: h.ID, Score: h.Score})
	}
	return out, nil
}

// query builds the bleve query for q. It reports false when q.Text has no
// searchable word (only punctuation, say), so nothing can match.
func (ix *Index) query(q Query) (query.Query, bool) {
	var must query.Query
	if q.Text != "" {
		words := terms(ix.analyzer, q.Text)
		if len(words) == 0 {
			return nil, false
		}
		must = textQuery(words)
	}
	filter := filterQuery(q)
	switch {
	case filter == nil && must == nil:
		return bleve.NewMatchAllQuery(), true
	case filter == nil:
		return must, true
	}
	b := bleve.NewBooleanQuery()
	if must != nil {
		b.AddMust(must)
	}
	b.AddFilter(filter)
	return b, true
}

// textQuery requires every word in fieldText, where a word weighs the same
// whichever field it came from, and adds a bonus for each word found in one
// of boostedFields.
func textQuery(words []string) query.Query {
	all := make([]query.Query, 0, len(words))
	bonus := make([]query.Query, 0, len(words)*len(boostedFields))
	for _, w := range words {
		all = append(all, termIn(fieldText, w))
		for _, f := range boostedFields {
			tq := bleve.NewTermQuery(w)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			bonus = append(bonus, tq)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(all...)
	b.AddShould(bonus...)
	return b
}

// filterQuery returns the conditions of q that narrow hits without scoring
// them, or nil when there are none.
func filterQuery(q Query) query.Query {
	var fs []query.Query
	if q.DocType != "" {
		fs = append(fs, termIn(fieldDocType, q.DocType))
	}
	if q.HolderID != "" {
		fs = append(fs, termIn(fieldHolderID, q.HolderID))
	}
	if !q.IssuedFrom.IsZero() || !q.IssuedTo.IsZero() {
		inclusive := true
		dq := bleve.NewDateRangeInclusiveQuery(q.IssuedFrom, q.IssuedTo, &inclusive, &inclusive)
		dq.SetField(fieldIssuedOn)
		fs = append(fs, dq)
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return bleve.NewConjunctionQuery(fs...)
}

func termIn(field, term string) query.Query {
	tq := bleve.NewTermQuery(term)
	tq.SetField(field)
	return tq
}
