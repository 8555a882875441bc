package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/archive"
)

func TestSearchHolderName(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix,
		named("nfc", "Nguyễn Văn Đức"),
		named("upper", "NGUYỄN VĂN ĐỨC"),
		named("nfd", norm.NFD.String("Nguyễn Văn Đức")),
		named("dung", "Nguyễn Văn Dũng"),
		named("tran", "Trần Thị Đức"),
	)
	tests := []struct {
		text string
		want []string
	}{
		{"nguyen van duc", []string{"nfc", "upper", "nfd"}},
		{"NGUYEN VAN DUC", []string{"nfc", "upper", "nfd"}},
		{"Nguyễn Văn Đức", []string{"nfc", "upper", "nfd"}},
		{norm.NFD.String("Nguyễn Văn Đức"), []string{"nfc", "upper", "nfd"}},
		{"  van   duc nguyen ", []string{"nfc", "upper", "nfd"}},
		{"nguyen van dung", []string{"dung"}},
		{"duc", []string{"nfc", "upper", "nfd", "tran"}},
		{"nguyen van", []string{"nfc", "upper", "nfd", "dung"}},
		{"nguyen van duc minh", nil},
	}
	for _, tt := range tests {
		checkIDs(t, ix, Query{Scope: all, Text: tt.text}, tt.want...)
	}
}

func TestSearchDocumentNumber(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	btnmt := "Bộ Tài nguyên và Môi trường"
	put(t, ix,
		record("want", archive.Metadata{Number: "123/GP-BTNMT", Issuer: btnmt, HolderName: "Lê Văn Đức"}),
		record("other-number", archive.Metadata{Number: "124/GP-BTNMT", Issuer: btnmt}),
		record("other-issuer", archive.Metadata{Number: "123/GP-UBND", Issuer: "UBND tỉnh Lâm Đồng"}),
	)
	for _, text := range []string{"123/GP-BTNMT", "123 GP BTNMT", "gp-btnmt 123", "123/gp-btnmt", "duc 123 gp"} {
		checkIDs(t, ix, Query{Scope: all, Text: text}, "want")
	}
	checkIDs(t, ix, Query{Scope: all, Text: "GP BTNMT"}, "want", "other-number")
	checkIDs(t, ix, Query{Scope: all, Text: "125/GP-BTNMT"})
}

func TestSearchHolderID(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix,
		record("a", archive.Metadata{HolderID: "001088012345", HolderName: "Phạm Thị Lan"}),
		record("b", archive.Metadata{HolderID: "001088012345", HolderName: "Phạm Thị Lan"}),
		record("c", archive.Metadata{HolderID: "001088012346", HolderName: "Phạm Thị Lan"}),
		record("d", archive.Metadata{HolderID: "079200000001", Summary: "ủy quyền cho 001088012345"}),
		// A company's tax code and its branch's: a text field would split the
		// branch's into 0101234567 and 001 and match both.
		record("company", archive.Metadata{HolderID: "0101234567"}),
		record("branch", archive.Metadata{HolderID: "0101234567-001"}),
	)
	checkIDs(t, ix, Query{Scope: all, HolderID: "001088012345"}, "a", "b")
	checkIDs(t, ix, Query{Scope: all, HolderID: " 001088012345 "}, "a", "b")
	checkIDs(t, ix, Query{Scope: all, HolderID: "00108801234"})
	checkIDs(t, ix, Query{Scope: all, HolderID: "0010880123456"})
	checkIDs(t, ix, Query{Scope: all, HolderID: "001088012346", Text: "pham thi lan"}, "c")
	checkIDs(t, ix, Query{Scope: all, HolderID: "0101234567"}, "company")
	checkIDs(t, ix, Query{Scope: all, HolderID: "0101234567-001"}, "branch")
}

func TestSearchDocType(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix,
		record("kt", archive.Metadata{DocTypeCode: "GP_KTNN", HolderName: "Hoàng Minh"}),
		record("xd", archive.Metadata{DocTypeCode: "GP_XD", HolderName: "Hoàng Minh"}),
		record("xd2", archive.Metadata{DocTypeCode: "GP_XD", HolderName: "Đỗ Hải"}),
	)
	checkIDs(t, ix, Query{Scope: all, DocType: "GP_XD"}, "xd", "xd2")
	checkIDs(t, ix, Query{Scope: all, DocType: "GP_XD", Text: "hoang minh"}, "xd")
	checkIDs(t, ix, Query{Scope: all, DocType: "GP_KTNN", Text: "do hai"})
	checkIDs(t, ix, Query{Scope: all, DocType: "GP"})
}

func TestSearchIssuedRange(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix,
		record("jan23", archive.Metadata{IssuedOn: day("2023-01-01"), HolderName: "Vũ An"}),
		record("jun23", archive.Metadata{IssuedOn: day("2023-06-15"), HolderName: "Vũ An"}),
		record("jan24", archive.Metadata{IssuedOn: day("2024-01-01"), HolderName: "Vũ An"}),
		record("undated", archive.Metadata{HolderName: "Vũ An"}),
	)
	tests := []struct {
		q    Query
		want []string
	}{
		{Query{Scope: all}, []string{"jan23", "jun23", "jan24", "undated"}},
		{Query{Scope: all, IssuedFrom: day("2023-06-15")}, []string{"jun23", "jan24"}},
		{Query{Scope: all, IssuedTo: day("2023-06-15")}, []string{"jan23", "jun23"}},
		{Query{Scope: all, IssuedFrom: day("2023-06-15"), IssuedTo: day("2023-06-15")}, []string{"jun23"}},
		{Query{Scope: all, IssuedFrom: day("2023-01-02"), IssuedTo: day("2023-12-31")}, []string{"jun23"}},
		{Query{Scope: all, IssuedFrom: day("2024-01-02")}, nil},
		{Query{Scope: all, Text: "vu an", IssuedTo: day("2023-01-01")}, []string{"jan23"}},
	}
	for _, tt := range tests {
		checkIDs(t, ix, tt.q, tt.want...)
	}
}

func TestSearchOrderScoreThenID(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	// Equal holder names tie on score; "x" names Hoa only in its summary,
	// which weighs less than the holder name.
	put(t, ix, record("x", archive.Metadata{HolderName: "Trịnh Công", Summary: "Lê Thị Hoa"}))
	for _, id := range []string{"e", "a", "c", "b", "d"} {
		put(t, ix, named(id, "Lê Thị Hoa"))
	}
	res := mustSearch(t, ix, Query{Scope: all, Text: "le thi hoa"})
	var got []string
	for i, h := range res.Hits {
		got = append(got, h.ID)
		if i > 0 && h.Score > res.Hits[i-1].Score {
			t.Errorf("hit %d (%s) scores %g, above hit %d's %g", i, h.ID, h.Score, i-1, res.Hits[i-1].Score)
		}
	}
	if want := []string{"a", "b", "c", "d", "e", "x"}; !slices.Equal(got, want) {
		t.Errorf("hits = %q, want %q", got, want)
	}
	if res.Hits[0].Score != res.Hits[4].Score {
		t.Errorf("equal records score %g and %g", res.Hits[0].Score, res.Hits[4].Score)
	}
}

func TestSearchPaging(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	var want []string
	for i := range 25 {
		id := fmt.Sprintf("r%02d", i)
		want = append(want, id)
		put(t, ix, named(id, "Bùi Quang"))
	}
	for _, text := range []string{"", "bui quang"} {
		res := mustSearch(t, ix, Query{Scope: all, Text: text})
		if res.Total != 25 || len(res.Hits) != DefaultLimit {
			t.Errorf("Search(%q): total %d, %d hits; want 25, %d", text, res.Total, len(res.Hits), DefaultLimit)
		}
		if got := hitIDs(t, ix, Query{Scope: all, Text: text, Offset: 20}); !slices.Equal(got, want[20:]) {
			t.Errorf("Search(%q) offset 20 = %q, want %q", text, got, want[20:])
		}
		if got := hitIDs(t, ix, Query{Scope: all, Text: text, Limit: 3, Offset: 5}); !slices.Equal(got, want[5:8]) {
			t.Errorf("Search(%q) limit 3 offset 5 = %q, want %q", text, got, want[5:8])
		}
	}
}

func TestQueryLimits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want int }{{0, 20}, {-1, 20}, {7, 7}, {1000, 1000}, {5000, 1000}} {
		q, err := Query{Scope: all, Limit: tt.in}.normalised()
		if err != nil || q.Limit != tt.want {
			t.Errorf("Limit %d normalised to %d, %v; want %d", tt.in, q.Limit, err, tt.want)
		}
	}
}

func TestSearchNoWords(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix, named("a", "Ngô Bảo"))
	res := mustSearch(t, ix, Query{Scope: all, Text: " / - ", DocType: "GP_XD"})
	if res.Total != 0 || res.Hits == nil || len(res.Hits) != 0 {
		t.Errorf("punctuation-only search = %+v, want no hits and a non-nil slice", res)
	}
	checkIDs(t, ix, Query{Scope: all, Text: "   "}, "a")
}

func TestSearchInvalid(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	for _, q := range []Query{
		{Offset: -1},
		{IssuedFrom: day("2024-01-02"), IssuedTo: day("2024-01-01")},
	} {
		if _, err := ix.Search(context.Background(), q); !errors.Is(err, archive.ErrInvalid) {
			t.Errorf("Search(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}

func TestSearchCanceled(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix, named("a", "Ngô Bảo"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, Query{Scope: all, Text: "ngo bao"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search with canceled context = %v, want context.Canceled", err)
	}
}
