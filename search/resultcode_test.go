package search

import (
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// TestSearchResultCode: a result code typed in the box, with or without
// its separators, finds its record, and the result type filters and counts.
func TestSearchResultCode(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	kq1 := record("kq1", archive.Metadata{Number: "12/GP", HolderName: "Lê Văn An", ResultTypeCode: "KQ.G15.000031"})
	kq1.ResultCode = "000.00.12.H01-240101-0001-KQ01"
	kq2 := record("kq2", archive.Metadata{Number: "13/GP", HolderName: "Lê Văn An", ResultTypeCode: "KQ.G15.000031"})
	kq2.ResultCode = "000.00.12.H01-240101-0001-KQ02"
	seq := record("seq", archive.Metadata{Number: "14/GP", HolderName: "Trần Thị Bình", ResultTypeCode: "KQ.G15.000040"})
	seq.ResultCode = "BTNMT-2026-000123"
	put(t, ix, kq1, kq2, seq)
	all := Scope{All: true}
	for text, want := range map[string][]string{
		"000.00.12.H01-240101-0001-KQ01": {"kq1"},
		"0000012h012401010001kq02":       {"kq2"},
		"000.00.12.H01-240101-0001":      {"kq1", "kq2"},
		"BTNMT-2026-000123":              {"seq"},
		"btnmt 2026 000123":              {"seq"},
	} {
		checkIDs(t, ix, Query{Text: text, Scope: all}, want...)
	}
	checkIDs(t, ix, Query{ResultType: "KQ.G15.000031", Scope: all}, "kq1", "kq2")
	checkIDs(t, ix, Query{ResultType: "KQ.G15.000040", Text: "lê văn an", Scope: all})
	res := mustSearch(t, ix, Query{Scope: all, Facets: true})
	got := res.Facets.ResultType
	if len(got) != 2 || got[0] != (FacetCount{"KQ.G15.000031", 2}) || got[1] != (FacetCount{"KQ.G15.000040", 1}) {
		t.Fatalf("result type facet %v; want KQ.G15.000031: 2, KQ.G15.000040: 1", got)
	}
}
