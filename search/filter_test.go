package search

import (
	"fmt"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// putDocs indexes docs into ix.
func putDocs(tb testing.TB, ix *Index, docs ...Doc) {
	tb.Helper()
	for _, d := range docs {
		if err := ix.PutDoc(d); err != nil {
			tb.Fatalf("PutDoc(%s): %v", d.Record.ID, err)
		}
	}
}

func TestSearchScope(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	putDocs(t, ix,
		Doc{Record: record("btnmt-1", archive.Metadata{HolderID: "001", HolderName: "Lê Văn An"}), Agency: "BTNMT"},
		Doc{Record: record("btnmt-2", archive.Metadata{HolderID: "002", HolderName: "Lê Văn An"}), Agency: "BTNMT"},
		Doc{Record: record("ubnd-1", archive.Metadata{HolderID: "001", HolderName: "Lê Văn An"}), Agency: "UBND"},
		Doc{Record: record("ubnd-2", archive.Metadata{HolderID: "003", HolderName: "Lê Văn An"}), Agency: "UBND"},
		Doc{Record: record("none", archive.Metadata{HolderID: "004", HolderName: "Lê Văn An"})},
	)
	tests := []struct {
		name  string
		scope Scope
		want  []string
	}{
		{"zero sees nothing", Scope{}, nil},
		{"empty lists see nothing", Scope{Agencies: []string{}, HolderIDs: []string{}}, nil},
		{"all", Scope{All: true}, []string{"btnmt-1", "btnmt-2", "ubnd-1", "ubnd-2", "none"}},
		{"agency", Scope{Agencies: []string{"BTNMT"}}, []string{"btnmt-1", "btnmt-2"}},
		{"holder", Scope{HolderIDs: []string{"001"}}, []string{"btnmt-1", "ubnd-1"}},
		{"shares", Scope{RecordIDs: []string{"ubnd-2", "none"}}, []string{"ubnd-2", "none"}},
		{"any of", Scope{Agencies: []string{"UBND"}, HolderIDs: []string{"002"}, RecordIDs: []string{"none"}},
			[]string{"btnmt-2", "ubnd-1", "ubnd-2", "none"}},
		{"unknown agency", Scope{Agencies: []string{"BYT"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, text := range []string{"", "le van an"} {
				checkIDs(t, ix, Query{Text: text, Scope: tt.scope}, tt.want...)
				// Total counts only visible records.
				q := Query{Text: text, Scope: tt.scope, Limit: 1, Facets: true}
				res := mustSearch(t, ix, q)
				if res.Total != uint64(len(tt.want)) || sumCounts(res.Facets.Validity) != len(tt.want) {
					t.Errorf("Search(%+v): total %d, validity facet %v; want %d", q, res.Total, res.Facets.Validity, len(tt.want))
				}
			}
		})
	}
}

func sumCounts(cs []FacetCount) int {
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}

func TestSearchValidity(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	cancelled := record("revoked", archive.Metadata{ValidUntil: day("2030-01-01")})
	cancelled.Status = StatusCancelled
	putDocs(t, ix,
		Doc{Record: record("open", archive.Metadata{})},
		Doc{Record: record("until-jun", archive.Metadata{ValidUntil: day("2024-06-15")})},
		Doc{Record: record("until-2030", archive.Metadata{ValidUntil: day("2030-01-01")})},
		Doc{Record: record("expired-2020", archive.Metadata{ValidUntil: day("2020-01-01")})},
		Doc{Record: cancelled},
		Doc{Record: record("flagged", archive.Metadata{}), Cancelled: true},
	)
	tests := []struct {
		validity, now string
		want          []string
	}{
		{Valid, "2024-06-15", []string{"open", "until-jun", "until-2030"}},
		{Valid, "2024-06-16", []string{"open", "until-2030"}},
		{Expired, "2024-06-15", []string{"expired-2020"}},
		{Expired, "2024-06-16", []string{"expired-2020", "until-jun"}},
		{Cancelled, "2024-06-16", []string{"revoked", "flagged"}},
		{"", "2024-06-16", []string{"open", "until-jun", "until-2030", "expired-2020", "revoked", "flagged"}},
	}
	for _, tt := range tests {
		checkIDs(t, ix, Query{Scope: all, Validity: tt.validity, Now: day(tt.now)}, tt.want...)
	}
	res := mustSearch(t, ix, Query{Scope: all, Now: day("2024-06-16"), Facets: true})
	want := []FacetCount{{Valid, 2}, {Expired, 2}, {Cancelled, 2}}
	if !equalCounts(res.Facets.Validity, want) {
		t.Errorf("validity facet = %v, want %v", res.Facets.Validity, want)
	}
}

func equalCounts(a, b []FacetCount) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSearchIssuerProcedure(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	btnmt, ubnd := "Bộ Tài nguyên và Môi trường", "UBND tỉnh Lâm Đồng"
	put(t, ix,
		record("a", archive.Metadata{Issuer: btnmt, ProcedureCode: "1.004227", DocTypeCode: "GP_KTNN"}),
		record("b", archive.Metadata{Issuer: btnmt, ProcedureCode: "1.000001", DocTypeCode: "GP_XD"}),
		record("c", archive.Metadata{Issuer: ubnd, ProcedureCode: "1.004227", DocTypeCode: "GP_XD"}),
	)
	checkIDs(t, ix, Query{Scope: all, Issuer: btnmt}, "a", "b")
	checkIDs(t, ix, Query{Scope: all, Issuer: " Bộ Tài  nguyên và Môi trường"}, "a", "b")
	checkIDs(t, ix, Query{Scope: all, Issuer: "Bộ Tài nguyên"})
	checkIDs(t, ix, Query{Scope: all, ProcedureCode: "1.004227"}, "a", "c")
	checkIDs(t, ix, Query{Scope: all, ProcedureCode: "1.004227", Issuer: ubnd}, "c")
	checkIDs(t, ix, Query{Scope: all, Text: "tai nguyen", DocType: "GP_XD"}, "b")

	res := mustSearch(t, ix, Query{Scope: all, Facets: true})
	f := res.Facets
	for _, c := range []struct {
		name      string
		got, want []FacetCount
	}{
		{"doc type", f.DocType, []FacetCount{{"GP_XD", 2}, {"GP_KTNN", 1}}},
		{"issuer", f.Issuer, []FacetCount{{btnmt, 2}, {ubnd, 1}}},
		{"procedure", f.Procedure, []FacetCount{{"1.004227", 2}, {"1.000001", 1}}},
	} {
		if !equalCounts(c.got, c.want) {
			t.Errorf("%s facet = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestValidityFacetMatchesFilters: on days around every year boundary,
// the validity facet counts what the validity filters find.
func TestValidityFacetMatchesFilters(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	var docs []Doc
	for i, until := range []string{"", "2023-12-31", "2024-01-01", "2024-06-15", "2024-06-16", "2024-12-31",
		"2025-01-01", "2030-01-01", "2199-12-31"} {
		m := archive.Metadata{}
		if until != "" {
			m.ValidUntil = day(until)
		}
		docs = append(docs, Doc{Record: record(fmt.Sprintf("r%d", i), m)})
	}
	docs = append(docs, Doc{Record: record("flagged", archive.Metadata{ValidUntil: day("2030-01-01")}), Cancelled: true})
	putDocs(t, ix, docs...)
	for _, now := range []string{"2023-12-31", "2024-01-01", "2024-06-15", "2024-06-16", "2024-12-31", "2025-01-01",
		"2029-12-31", "2030-01-02", "2199-12-31"} {
		res := mustSearch(t, ix, Query{Scope: all, Now: day(now), Facets: true})
		var want []FacetCount
		for _, v := range []string{Valid, Expired, Cancelled} {
			n := mustSearch(t, ix, Query{Scope: all, Now: day(now), Validity: v})
			want = append(want, FacetCount{v, int(n.Total)})
		}
		if !equalCounts(res.Facets.Validity, want) {
			t.Errorf("on %s the validity facet is %v; the filters find %v", now, res.Facets.Validity, want)
		}
	}
}
