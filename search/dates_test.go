package search

import (
	"slices"
	"testing"
	"time"
)

func TestRangeTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to string
		want     []string
	}{
		{"2023-01-01", "2023-12-31", []string{"y2023"}},
		{"2022-01-01", "2024-12-31", []string{"y2022", "y2023", "y2024"}},
		{"2023-06-15", "2023-06-15", []string{"d20230615"}},
		{"2023-11-29", "2024-02-02", []string{"d20231129", "d20231130", "m202312", "m202401", "d20240201", "d20240202"}},
		{"2020-01-01", "2029-12-31", []string{"x202"}},
		{"2024-02-01", "2024-02-29", []string{"m202402"}},
	}
	for _, tt := range tests {
		if got := rangeTerms(day(tt.from), day(tt.to)); !slices.Equal(got, tt.want) {
			t.Errorf("rangeTerms(%s, %s) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
	// Every day of a range is covered by exactly one term; open ranges stay
	// small.
	from, to := day("2019-12-30"), day("2021-03-02")
	terms := rangeTerms(from, to)
	for d := from.AddDate(0, 0, -3); d.Before(to.AddDate(0, 0, 3)); d = d.AddDate(0, 0, 1) {
		n := 0
		for _, term := range dayTerms(d) {
			if slices.Contains(terms, term) {
				n++
			}
		}
		in := !d.Before(from) && !d.After(to)
		if (in && n != 1) || (!in && n != 0) {
			t.Errorf("day %s is covered %d times by %q", d.Format(time.DateOnly), n, terms)
		}
	}
	for _, r := range [][2]time.Time{{{}, day("2024-03-05")}, {day("2024-03-05"), {}}} {
		if n := len(rangeTerms(r[0], r[1])); n > 60 {
			t.Errorf("open range %v gives %d terms", r, n)
		}
	}
}
