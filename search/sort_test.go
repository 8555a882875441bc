package search

import (
	"slices"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

func TestSearchSort(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	for _, r := range []struct{ id, issued string }{
		{"d", "2023-01-01"}, {"a", "2024-05-01"}, {"c", "2023-01-01"}, {"b", "2022-03-01"}, {"e", ""},
	} {
		m := archive.Metadata{HolderName: "Phan Văn Khải"}
		if r.issued != "" {
			m.IssuedOn = day(r.issued)
		}
		put(t, ix, record(r.id, m))
	}
	tests := []struct {
		sort string
		want []string
	}{
		{SortIssuedDesc, []string{"a", "c", "d", "b", "e"}},
		{SortIssuedAsc, []string{"b", "c", "d", "a", "e"}},
		{SortRelevance, []string{"a", "b", "c", "d", "e"}},
		{"", []string{"a", "b", "c", "d", "e"}},
	}
	for _, tt := range tests {
		for _, text := range []string{"", "phan van khai"} {
			q := Query{Scope: all, Text: text, Sort: tt.sort}
			if got := hitIDs(t, ix, q); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q, sort %q) = %q, want %q", text, tt.sort, got, tt.want)
			}
			// Pages of two concatenate to the whole order.
			var paged []string
			for off := 0; off < len(tt.want); off += 2 {
				q.Limit, q.Offset = 2, off
				paged = append(paged, hitIDs(t, ix, q)...)
			}
			if !slices.Equal(paged, tt.want) {
				t.Errorf("Search(%q, sort %q) by pages = %q, want %q", text, tt.sort, paged, tt.want)
			}
		}
	}
}

func TestSearchInvalidOptions(t *testing.T) {
	t.Parallel()
	for _, q := range []Query{{Validity: "valide"}, {Sort: "date"}} {
		if _, err := q.normalised(); err == nil {
			t.Errorf("normalised(%+v) = nil error, want ErrInvalid", q)
		}
	}
}
