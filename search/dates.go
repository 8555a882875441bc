package search

import "time"

// Issue dates are indexed as terms rather than as bleve numbers, because
// bleve's numeric ranges and its doc-value sorting cost milliseconds per
// query at a million records. A record issued on 2023-01-15 holds the terms
// y2023, m202301 and d20230115 in fieldIssued, and 20230115 in
// fieldIssuedSort for sorting. A date range becomes a handful of terms: whole
// years as y terms, whole months as m terms, and the days at either end as d
// terms, and whole decades (for open ranges) as x terms.

// dayTerms returns the terms fieldIssued holds for a record issued on t.
func dayTerms(t time.Time) []string {
	return []string{decade(t), t.Format("y2006"), t.Format("m200601"), t.Format("d20060102")}
}

// sortKey is the fieldIssuedSort value of a record issued on t.
func sortKey(t time.Time) string { return t.Format("20060102") }

// Bounds of open ranges: no record is issued before or after them.
var (
	minIssued = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	maxIssued = time.Date(2199, 12, 31, 0, 0, 0, 0, time.UTC)
)

// rangeTerms returns the fewest fieldIssued terms covering the days from
// from to to, both included; zero bounds are open. The times' calendar
// days count, in their own locations.
func rangeTerms(from, to time.Time) []string {
	from, to = dayOf(from, minIssued), dayOf(to, maxIssued)
	var out []string
	for !from.After(to) {
		term, next := largestStep(from, to)
		out = append(out, term)
		from = next
	}
	return out
}

// decade is t's decade term: x202 for the 2020s.
func decade(t time.Time) string { return "x" + t.Format("2006")[:3] }

// largestStep returns the term of the largest unit (decade, year, month,
// day) starting at from and ending on or before to, and the day after it.
func largestStep(from, to time.Time) (string, time.Time) {
	if from.YearDay() == 1 && from.Year()%10 == 0 {
		if next := from.AddDate(10, 0, 0); !next.AddDate(0, 0, -1).After(to) {
			return decade(from), next
		}
	}
	if from.YearDay() == 1 {
		if next := from.AddDate(1, 0, 0); !next.AddDate(0, 0, -1).After(to) {
			return from.Format("y2006"), next
		}
	}
	if from.Day() == 1 {
		if next := from.AddDate(0, 1, 0); !next.AddDate(0, 0, -1).After(to) {
			return from.Format("m200601"), next
		}
	}
	return from.Format("d20060102"), from.AddDate(0, 0, 1)
}

// dayOf is t's calendar day at UTC midnight, or def when t is zero.
func dayOf(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
