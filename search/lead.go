package search

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Leading a scored query by its match set. A scored conjunction advances
// its term lists against one another (leapfrog), decoding frequencies and
// norms on the way, so its cost follows its shortest list, not its matches:
// "nguyen van duc" walks the whole list of "duc", most of which are not
// Nguyễn Văn. Unscored, bleve computes the same conjunction as an AND of
// roaring bitmaps, far faster. leadQuery is that unscored match set as a
// clause of the scored query: it holds the fewest documents, so the
// conjunction starts from it, and the scored clauses are only advanced to
// documents that match them all. It scores 0 and weighs nothing, so scores
// and their order are those of the query without it.

// leadQuery matches what q matches, unscored; see above.
type leadQuery struct{ q query.Query }

// led returns the clauses of a conjunction: scored, led by the match set
// of set and filter together (filter may be nil). set and scored match the
// same documents; set is made of plain term queries, which bleve turns
// into a roaring AND.
func led(set []query.Query, filter query.Query, scored []query.Query) []query.Query {
	all := append([]query.Query(nil), set...)
	if filter != nil {
		all = append(all, filter)
	}
	var lead query.Query = query.NewConjunctionQuery(all)
	if len(all) == 1 {
		lead = all[0]
	}
	return append([]query.Query{leadQuery{q: lead}}, scored...)
}

// Searcher returns q's searcher without scoring, weighing nothing.
func (l leadQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	s, err := l.q.Searcher(ctx, i, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("lead: %w", err)
	}
	return fixedSearcher{Searcher: s, lead: true}, nil
}

// wordQuery matches what q, a term (or fuzzy) query, matches, unscored by
// bleve: every match scores boost × the inverse document frequency of the
// term, 1 + ln(docs / (matches + 1)), the idf of bleve's tf-idf. Unscored
// term lists advance by their roaring bitmaps, without decoding each
// skipped posting's frequency and norm, which is what makes scoring a
// common word expensive.
type wordQuery struct {
	q     query.Query
	boost float64
	// score, when not 0, is the score of every match instead.
	score float64
}

// Searcher returns q's searcher without scoring, its matches scoring the
// word's weight.
func (w wordQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	s, err := w.q.Searcher(ctx, i, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, fmt.Errorf("word: %w", err)
	}
	if w.score != 0 {
		return fixedSearcher{Searcher: s, score: w.score}, nil
	}
	n, err := i.DocCount()
	if err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("word: %w", err)
	}
	return fixedSearcher{Searcher: s, score: w.boost * idf(n, s.Count())}, nil
}

// idf is the inverse document frequency of a term found in df of docs
// documents.
func idf(docs, df uint64) float64 { return 1 + math.Log(float64(docs)/float64(df+1)) }

// fixedSearcher is a searcher whose matches all score score and that adds
// no weight to the query norm. A lead also reports no matches to Count.
type fixedSearcher struct {
	search.Searcher
	score float64
	lead  bool
}

// Weight is 0: the searcher does not change the query norm.
func (fixedSearcher) Weight() float64 { return 0 }

// SetQueryNorm does nothing: the score is fixed.
func (fixedSearcher) SetQueryNorm(float64) {}

// Count is what the searcher matches, except for a lead: 0, so that a
// conjunction, which starts from its smallest clause, starts from the
// lead.
func (s fixedSearcher) Count() uint64 {
	if s.lead {
		return 0
	}
	return s.Searcher.Count()
}

// Next returns the next match, scoring s.score.
func (s fixedSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return s.scored(s.Searcher.Next(ctx))
}

// Advance returns the first match at or after id, scoring s.score.
func (s fixedSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	return s.scored(s.Searcher.Advance(ctx, id))
}

func (s fixedSearcher) scored(d *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if d != nil {
		d.Score = s.score
	}
	return d, err
}
