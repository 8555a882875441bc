package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Namesakes first. A query without digits (a name) scores each word by a
// fixed weight, its idf in fieldText plus nameBoost times its idf in the
// holder name (exactText, wordQuery), and the holder-name bonus grows with
// the share of the words found there. So the matches whose holder name
// holds every word all score the same, the most any match can, and they
// come first, by ID. When they are enough to fill the page, Search needs
// neither to score any match nor to load the ID of any other: it counts
// the matches unscored (a roaring AND), takes the page from the namesakes
// unscored, and gives them their common score. Otherwise it scores every
// match as usual.

// nameQuery is the shortcut of a query whose words have no digits.
type nameQuery struct {
	// score is what every namesake scores (wordStats.topScore); Index.plan
	// sets it.
	score float64
	// all matches what the query matches, unscored.
	all query.Query
	// top matches what all matches with every word in the holder name.
	top query.Query
}

// newNameQuery returns the shortcut for words and filter (nil: none), or
// nil when a word has digits.
func newNameQuery(words []string, filter query.Query) *nameQuery {
	var all, top []query.Query
	for _, w := range words {
		if hasDigit(w) {
			return nil
		}
		all = append(all, termIn(fieldText, w))
		top = append(top, termIn(fieldHolderName, w))
	}
	if filter != nil {
		all = append(all, filter)
	}
	return &nameQuery{all: bleve.NewConjunctionQuery(all...),
		top: bleve.NewConjunctionQuery(append(top, all...)...)}
}

// namesakes returns the page of n's matches from from when the matches
// whose holder name holds every word fill it, with the IDs of every match
// when there are fewer than typoBelow. It reports false when they do not
// fill the page.
func (ix *Index) namesakes(ctx context.Context, n *nameQuery, from, size int) (*Result, []string, bool, error) {
	top, err := ix.collect(ctx, n.top, false, from, size)
	if err != nil || top.total < uint64(from+size) {
		return nil, nil, false, err
	}
	all, err := ix.collect(ctx, n.all, false, 0, 0)
	if err != nil {
		return nil, nil, false, err
	}
	for i := range top.hits {
		top.hits[i].Score = n.score
	}
	var ids []string
	if all.total < typoBelow {
		ids = all.firstIDs
	}
	return &Result{Total: all.total, Hits: top.hits}, ids, true, nil
}

// topScore is the score exactText gives a match holding every word of words
// in its holder name: each word's fieldText weight and its full bonus.
func (st wordStats) topScore(words []string) float64 {
	score := 0.0
	for _, w := range words {
		score += st.idf(w) + nameBoost*idf(st.docs, st.nameDF[w])
	}
	return score
}

// wordStats are the index's document count and the document frequencies
// of some words in fieldText and in the holder name.
type wordStats struct {
	docs       uint64
	df, nameDF map[string]uint64
}

// idf is w's inverse document frequency in fieldText.
func (st wordStats) idf(w string) float64 { return idf(st.docs, st.df[w]) }

// wordStats returns the statistics of words.
func (ix *Index) wordStats(words []string) (wordStats, error) {
	r, err := ix.reader()
	if err != nil {
		return wordStats{}, err
	}
	defer func() { _ = r.Close() }()
	st := wordStats{df: make(map[string]uint64, len(words)), nameDF: make(map[string]uint64, len(words))}
	if st.docs, err = r.DocCount(); err != nil {
		return wordStats{}, fmt.Errorf("doc count: %w", err)
	}
	for _, w := range words {
		for field, df := range map[string]map[string]uint64{fieldText: st.df, fieldHolderName: st.nameDF} {
			tfr, err := r.TermFieldReader(context.Background(), []byte(w), field, false, false, false)
			if err != nil {
				return wordStats{}, fmt.Errorf("term %s: %w", w, err)
			}
			df[w] = tfr.Count()
			_ = tfr.Close()
		}
	}
	return st, nil
}
