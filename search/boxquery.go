package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Fixed weights of the code readings of the search box (box.go), each
// times the idf of what the key matches. idBoost puts a holder's records
// before anything the text alone finds; an exact number key weighs more
// than a prefix.
const (
	idBoost     = 10
	numberBoost = 4
	prefixBoost = 1
)

// prefixMinLen is the shortest grouped number key matched by prefix.
const prefixMinLen = 4

// boxQuery matches b's words in the text fields (exactText) or any of its
// code readings, each narrowed by filter (nil: none) inside, so that no
// reading reaches past it.
func boxQuery(b box, filter query.Query) query.Query {
	text := exactText(b.words, filter)
	if len(b.codes) == 0 {
		return text
	}
	alts := []query.Query{text}
	for _, c := range b.codes {
		set, scored := c.clause()
		if len(c.others) == 0 && filter == nil {
			alts = append(alts, scored) // nothing to lead
			continue
		}
		alts = append(alts, textQuery(c.others, filter, set, scored))
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// clause returns the query of c's key, unscored and scored.
func (c codeReading) clause() (set, scored query.Query) {
	if c.holder {
		return termIn(fieldHolderKey, c.key), wordQuery{q: termIn(fieldHolderKey, c.key), boost: idBoost}
	}
	keys := []string{c.key}
	if compact := strings.ReplaceAll(c.key, string(groupMark), ""); compact != c.key && !digitsApart(c.key) {
		keys = append(keys, compact)
	}
	var sets, scoreds []query.Query
	for _, k := range keys {
		sets = append(sets, termIn(fieldNumberKey, k))
		scoreds = append(scoreds, wordQuery{q: termIn(fieldNumberKey, k), boost: numberBoost})
	}
	if len(c.key) >= prefixMinLen {
		sets = append(sets, numberPrefix(c.key))
		scoreds = append(scoreds, wordQuery{q: numberPrefix(c.key), boost: prefixBoost})
	}
	return bleve.NewDisjunctionQuery(sets...), bleve.NewDisjunctionQuery(scoreds...)
}

// numberPrefix matches the number keys that start with the grouped key k
// followed by the start of a new run: groupMark, or a letter after a digit
// or a digit after a letter. So the runs of k are whole in what it matches:
// 123gp finds 123gp_btnmt, 123gp_ubnd does not find 123gp_ubndhn, and
// cs045 does not find cs04512. Keys hold only [a-z0-9_], so one term range
// covers groupMark and the letters ('_' < '`' < 'a' … 'z' < '{').
func numberPrefix(k string) query.Query {
	if isDigit(k[len(k)-1]) {
		return termRange(fieldNumberKey, k+string(groupMark), k+"{")
	}
	return bleve.NewDisjunctionQuery(
		termRange(fieldNumberKey, k+"0", k+":"),
		termRange(fieldNumberKey, k+string(groupMark), k+"`"))
}

// termRange matches the terms of field from min, included, to max,
// excluded.
func termRange(field, min, max string) query.Query {
	q := bleve.NewTermRangeQuery(min, max)
	q.SetField(field)
	return q
}
