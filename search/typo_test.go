package search

import (
	"fmt"
	"slices"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

func TestSearchTypo(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix,
		named("duc", "Nguyễn Văn Đức"),
		named("tam", "Lê Văn Tâm"),
		named("lam", "Lê Văn Lâm"),
		named("tuan", "Lê Văn Tuấn"),
		record("num", archive.Metadata{Number: "123/GP-BTNMT", HolderName: "Hồ Thị Hạnh"}),
	)
	tests := []struct {
		text string
		want []string // in order
	}{
		{"nguyen van dux", []string{"duc"}},    // substitution
		{"ngyen van duc", []string{"duc"}},     // deletion
		{"nguyeen van duc", []string{"duc"}},   // insertion
		{"Nguyến Văn Đúc", []string{"duc"}},    // marks wrong: folded first
		{"le van tam", []string{"tam", "lam"}}, // exact first, typo after
		{"le van lam", []string{"lam", "tam"}},
		{"nguyen van duc minh", nil},      // every word must still match
		{"nguyen van dxx", nil},           // two letters off
		{"124/GP-BTNMT", nil},             // numbers are exact
		{"ho thi hanh 124", nil},          // digits never fuzzy
		{"le van tuan", []string{"tuan"}}, // tuan is two edits from tam
		{"le vn tam", nil},                // "vn" is too short for a typo
	}
	for _, tt := range tests {
		got := hitIDs(t, ix, Query{Scope: all, Text: tt.text})
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	res := mustSearch(t, ix, Query{Scope: all, Text: "le van tam"})
	if res.Total != 2 || res.Hits[0].Typo || !res.Hits[1].Typo {
		t.Errorf("Search(le van tam) = %+v, want exact tam then typo lam", res)
	}
}

// TestSearchTypoPaging checks that typo hits page after the exact ones and
// that Total and facets count both.
func TestSearchTypoPaging(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	var want []string
	for i := range 3 {
		id := fmt.Sprintf("exact-%d", i)
		want = append(want, id)
		put(t, ix, record(id, archive.Metadata{HolderName: "Đinh Bộ Lĩnh", DocTypeCode: "A", ResultTypeCode: "KQ.A"}))
	}
	for i := range 4 {
		id := fmt.Sprintf("typo-%d", i)
		want = append(want, id)
		put(t, ix, record(id, archive.Metadata{HolderName: "Đinh Bộ Linhh", DocTypeCode: "B", ResultTypeCode: "KQ.B"}))
	}
	var paged []string
	for off := 0; off < 8; off += 2 {
		res := mustSearch(t, ix, Query{Scope: all, Text: "dinh bo linh", Limit: 2, Offset: off, Facets: true})
		if res.Total != 7 {
			t.Errorf("offset %d: total %d, want 7", off, res.Total)
		}
		if got := res.Facets.DocType; !equalCounts(got, []FacetCount{{"B", 4}, {"A", 3}}) {
			t.Errorf("offset %d: doc type facet %v", off, got)
		}
		if got := res.Facets.ResultType; !equalCounts(got, []FacetCount{{"KQ.B", 4}, {"KQ.A", 3}}) {
			t.Errorf("offset %d: result type facet %v", off, got)
		}
		for _, h := range res.Hits {
			paged = append(paged, h.ID)
		}
	}
	if !slices.Equal(paged, want) {
		t.Errorf("pages = %q, want %q", paged, want)
	}
}
