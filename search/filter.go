package search

import (
	"slices"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Typo tolerance: a word of at least typoMinLen letters may match a holder
// name word one edit away. Shorter words and words with digits (numbers,
// codes) must match exactly: "124" is not a typo of "123".
const typoMinLen = 3

// exactText requires every word in fieldText, where a word weighs the same
// whichever field it came from, and filter (nil: none), which does not
// score, and adds a bonus for each word found in the holder name. The
// scored words are led by the match set of words and filter (leadQuery).
//
// A query with no digits, a name, scores every word by its fixed weight
// (wordQuery): its idf, times 1 in fieldText and nameBoost more in the
// holder name. Such queries match thousands of records at a million, and
// bleve's tf-idf, which decodes a frequency and a norm for every posting
// of a common word, costs milliseconds there. A query with digits, a number
// or a code, matches a handful of records: it keeps bleve's tf-idf, where
// the record whose shorter text holds the words ranks first.
func exactText(words []string, filter query.Query) query.Query {
	return textQuery(words, filter, nil, nil)
}

// textQuery is exactText requiring, when code is not nil, the code clause
// too, matched unscored by code and scored by codeScored; the words then
// score by tf-idf (see box.go).
func textQuery(words []string, filter, code, codeScored query.Query) query.Query {
	tfidf := slices.ContainsFunc(words, hasDigit) || code != nil
	set := make([]query.Query, 0, len(words)+1)
	scored := make([]query.Query, 0, len(words)+1)
	if code != nil {
		set, scored = append(set, code), append(scored, codeScored)
	}
	for _, w := range words {
		set = append(set, termIn(fieldText, w))
		scored = append(scored, weighed(termIn(fieldText, w), 1, tfidf))
	}
	var bonus []query.Query
	for _, w := range words {
		if !hasDigit(w) { // names have no digits
			bonus = append(bonus, weighed(termIn(fieldHolderName, w), nameBoost, tfidf))
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(led(set, filter, scored)...)
	if len(bonus) > 0 {
		b.AddShould(bonus...)
	}
	return b
}

// weighed is tq boosted by boost: scored by bleve's tf-idf when tfidf, else
// by the word's fixed weight.
func weighed(tq *query.TermQuery, boost float64, tfidf bool) query.Query {
	if tfidf {
		tq.SetBoost(boost)
		return tq
	}
	return wordQuery{q: tq, boost: boost}
}

// typoQuery is the typo-tolerant query of a Query's words.
type typoQuery struct {
	// set matches what typo tolerance finds, exact matches included,
	// unscored; scored is the same query, scored.
	set, scored query.Query
	// single is set when only one word may be the typo: every match then
	// scores score.
	single bool
	score  float64
}

// typoText matches what exactText matches with one word, that may be a
// typo, found one edit away in a holder name instead: one conjunction per
// such word, so the exact words narrow each before the fuzzy one is
// expanded. It reports false when no word may be a typo, or when a word has
// digits: such a query looks for a number or a code, not a name.
//
// st holds the words' document frequencies in fieldText. A conjunction
// requiring a word no record holds is left out, so a query with a typo in
// one word does not expand the others fuzzily, and a query with two unknown
// words gets no typo tolerance. Every word scores a fixed weight: its
// fieldText idf, and (1 + nameBoost) times it for the fuzzy one.
func typoText(words []string, st wordStats) (typoQuery, bool) {
	if slices.ContainsFunc(words, hasDigit) {
		return typoQuery{}, false
	}
	var unknown []int
	for i, w := range words {
		if st.df[w] == 0 {
			unknown = append(unknown, i)
		}
	}
	var t typoQuery
	var anyOf, anyOfScored []query.Query
	for i, w := range words {
		if !typoCandidate(w) || len(unknown) > 1 || len(unknown) == 1 && unknown[0] != i {
			continue
		}
		fq := bleve.NewFuzzyQuery(w)
		fq.SetField(fieldHolderName)
		fq.SetFuzziness(1)
		score := (1 + nameBoost) * st.idf(w)
		all := []query.Query{fq}
		allScored := []query.Query{wordQuery{q: fq, score: score}}
		for j, other := range words {
			if j != i {
				all = append(all, termIn(fieldText, other))
				allScored = append(allScored, wordQuery{q: termIn(fieldText, other), score: st.idf(other)})
				score += st.idf(other)
			}
		}
		anyOf = append(anyOf, bleve.NewConjunctionQuery(all...))
		anyOfScored = append(anyOfScored, bleve.NewConjunctionQuery(allScored...))
		t.score = score
	}
	if len(anyOf) == 0 {
		return typoQuery{}, false
	}
	t.single = len(anyOf) == 1
	t.set, t.scored = bleve.NewDisjunctionQuery(anyOf...), bleve.NewDisjunctionQuery(anyOfScored...)
	return t, true
}

func hasDigit(w string) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// typoCandidate reports whether the analysed word w may be a misspelt name
// word: letters only, typoMinLen or longer.
func typoCandidate(w string) bool {
	n := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
		n++
	}
	return n >= typoMinLen
}

// filterQuery returns the conditions of q that narrow hits without scoring
// them, or nil when there are none. The caller has checked that q.Scope is
// not empty.
func filterQuery(q Query) query.Query {
	var fs []query.Query
	for _, kv := range []struct{ field, value string }{
		{fieldDocType, q.DocType}, {fieldHolderID, q.HolderID},
		{fieldIssuer, q.Issuer}, {fieldProcedure, q.ProcedureCode},
		{fieldResultType, q.ResultType},
	} {
		if kv.value != "" {
			fs = append(fs, termIn(kv.field, kv.value))
		}
	}
	if !q.IssuedFrom.IsZero() || !q.IssuedTo.IsZero() {
		fs = append(fs, issuedQuery(q.IssuedFrom, q.IssuedTo))
	}
	if q.Validity != "" {
		fs = append(fs, validityQuery(q))
	}
	if sq := scopeQuery(q.Scope); sq != nil {
		fs = append(fs, sq)
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return bleve.NewConjunctionQuery(fs...)
}

// validityQuery keeps the records whose validity on q's day is q.Validity.
// Cancelled records have no valid_to, so only the status term finds them.
func validityQuery(q Query) query.Query { return validityIs(q.Validity, q.today()) }

// validityIs keeps the records whose validity on today is v.
func validityIs(v string, today time.Time) query.Query {
	switch v {
	case Valid:
		return termsIn(fieldValidTo, append(rangeTerms(today, time.Time{}), openEnded))
	case Expired:
		return termsIn(fieldValidTo, rangeTerms(time.Time{}, today.AddDate(0, 0, -1)))
	}
	return termIn(fieldStatus, statusCancelled)
}

// scopeQuery keeps the records s may see, or returns nil when s sees all.
func scopeQuery(s Scope) query.Query {
	if s.All {
		return nil
	}
	var anyOf []query.Query
	for _, a := range s.Agencies {
		anyOf = append(anyOf, termIn(fieldAgency, keyword(a)))
	}
	for _, h := range s.HolderIDs {
		anyOf = append(anyOf, termIn(fieldHolderID, keyword(h)))
	}
	if len(s.RecordIDs) > 0 {
		anyOf = append(anyOf, bleve.NewDocIDQuery(s.RecordIDs))
	}
	return bleve.NewDisjunctionQuery(anyOf...)
}

// issuedQuery matches records issued from from to to, both included; a
// zero bound is open.
func issuedQuery(from, to time.Time) query.Query {
	return termsIn(fieldIssued, rangeTerms(from, to))
}

// termsIn matches any of terms in field.
func termsIn(field string, terms []string) query.Query {
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = termIn(field, t)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func termIn(field, term string) *query.TermQuery {
	tq := bleve.NewTermQuery(term)
	tq.SetField(field)
	return tq
}
