package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// pageOf is q's page as checked here: IDs with their typo flags, and the
// total.
func pageOf(tb testing.TB, ix *Index, q Query) (uint64, []string, []Hit) {
	tb.Helper()
	res := mustSearch(tb, ix, q)
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
		if h.Typo {
			ids[i] += "~"
		}
	}
	return res.Total, ids, res.Hits
}

// checkSameAsBleve fails unless q gives the same total, hits (in order)
// and scores whether Search collects the hits itself (no facets) or lets
// bleve's collector do it (facets asked).
func checkSameAsBleve(tb testing.TB, ix *Index, q Query) []string {
	tb.Helper()
	q.Facets = false
	total, ids, hits := pageOf(tb, ix, q)
	q.Facets = true
	wantTotal, want, wantHits := pageOf(tb, ix, q)
	if total != wantTotal || !slices.Equal(ids, want) {
		tb.Errorf("Search(%+v):\n got total %d, %q\nwant total %d, %q (bleve's collector)", q, total, ids, wantTotal, want)
		return ids
	}
	for i := range hits {
		if d := math.Abs(hits[i].Score - wantHits[i].Score); d > 1e-9*math.Abs(wantHits[i].Score) {
			tb.Errorf("Search(%+v): hit %d (%s) scores %g, bleve's collector %g", q, i, hits[i].ID, hits[i].Score, wantHits[i].Score)
		}
	}
	return ids
}

// pages returns every hit of q, read size at a time.
func pages(tb testing.TB, ix *Index, q Query, size int) []string {
	tb.Helper()
	var all []string
	for q.Limit, q.Offset = size, 0; ; q.Offset += size {
		ids := checkSameAsBleve(tb, ix, q)
		all = append(all, ids...)
		if len(ids) < size {
			return all
		}
	}
}

// TestCollectSameAsBleve checks that collect, which loads IDs only for
// matches that may enter the page, orders and pages as bleve's collector.
func TestCollectSameAsBleve(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	for i := range 40 {
		m := archive.Metadata{HolderName: "Lê Thị Hoa", Number: fmt.Sprintf("%d/GP-BTNMT", i%7),
			Summary: "Cho phép Lê Thị Hoa khai thác" + string(make([]byte, 0, i%3)), DocTypeCode: []string{"A", "B"}[i%2]}
		if i%5 == 0 {
			m.HolderName, m.Summary = "Trần Văn Hoa", "ủy quyền cho Lê Thị Hoa"
		}
		if i%3 == 0 {
			m.ValidityScope = "Trên phạm vi toàn quốc"
		}
		put(t, ix, record(fmt.Sprintf("r%02d", (i*17)%40), m))
	}
	tests := []Query{
		{Scope: all, Text: "le thi hoa"},
		{Scope: all, Text: "hoa"},
		{Scope: all, Text: "3 gp btnmt"},
		{Scope: all, Text: "gp btnmt"},
		{Scope: all, Text: "hoa", DocType: "A"},
		{Scope: all, DocType: "B"},
		{Scope: all},
	}
	for _, q := range tests {
		for _, size := range []int{1, 3, 7, 50} {
			got := pages(t, ix, q, size)
			if want := pages(t, ix, q, 1000); !slices.Equal(got, want) {
				t.Errorf("Search(%+v) by pages of %d = %q, want %q", q, size, got, want)
			}
		}
	}
}

// TestSearchNamesakesFirst checks the namesakes shortcut: the records whose
// holder name holds every word come first, by ID, and Total counts the
// records that hold the words elsewhere too, whether or not the namesakes
// fill the page.
func TestSearchNamesakesFirst(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	var namesakes []string
	for i := range 12 {
		id := fmt.Sprintf("n%02d", (i*5)%12)
		namesakes = append(namesakes, id)
		put(t, ix, record(id, archive.Metadata{HolderName: "Nguyễn Văn Đức", DocTypeCode: "A"}))
	}
	slices.Sort(namesakes)
	// Đức in the place name, not in the holder name.
	for i := range 4 {
		put(t, ix, record(fmt.Sprintf("p%d", i), archive.Metadata{HolderName: "Nguyễn Văn An",
			Summary: "tại xã Tân Phú, huyện Đức Trọng", DocTypeCode: "A"}))
	}
	put(t, ix, record("other", archive.Metadata{HolderName: "Nguyễn Thị Lan", DocTypeCode: "A"}))
	tests := []struct {
		q         Query
		total     int
		namesakes int // how many of the hits come first, in ID order
	}{
		{Query{Scope: all, Text: "nguyen van duc"}, 16, 12},
		{Query{Scope: all, Text: "duc nguyen"}, 16, 12},
		{Query{Scope: all, Text: "nguyen van duc", DocType: "A"}, 16, 12},
		{Query{Scope: all, Text: "nguyen van duc", DocType: "B"}, 0, 0},
		{Query{Scope: all, Text: "nguyen van"}, 16, 16},
	}
	for _, tt := range tests {
		for _, size := range []int{1, 5, 12, 20} {
			got := pages(t, ix, tt.q, size)
			if len(got) != tt.total {
				t.Errorf("Search(%+v) by pages of %d: %d hits, want %d", tt.q, size, len(got), tt.total)
				continue
			}
			if tt.namesakes == 12 && !slices.Equal(got[:12], namesakes) {
				t.Errorf("Search(%+v) by pages of %d = %q, want the namesakes %q first", tt.q, size, got, namesakes)
			}
		}
		if res := mustSearch(t, ix, tt.q); res.Total != uint64(tt.total) {
			t.Errorf("Search(%+v): total %d, want %d", tt.q, res.Total, tt.total)
		}
	}
}

// TestSearchWalkDates checks that date-sorted searches, which walk the
// issue days instead of sorting every match, page as bleve's sort does,
// undated records last.
func TestSearchWalkDates(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	start := day("2023-12-20")
	for i := range 90 {
		m := archive.Metadata{HolderName: "Võ Thị Mai", DocTypeCode: []string{"A", "B", "C"}[i%3],
			IssuedOn: start.AddDate(0, 0, (i*7)%30)}
		if i%10 == 9 {
			m.IssuedOn = time.Time{}
		}
		put(t, ix, record(fmt.Sprintf("r%02d", (i*37)%90), m))
	}
	tests := []Query{
		{Scope: all, Sort: SortIssuedDesc},
		{Scope: all, Sort: SortIssuedAsc},
		{Scope: all, Sort: SortIssuedDesc, DocType: "A"},
		{Scope: all, Sort: SortIssuedAsc, IssuedFrom: day("2024-01-01")},
		{Scope: all, Sort: SortIssuedDesc, IssuedFrom: day("2023-12-25"), IssuedTo: day("2024-01-05")},
		{Scope: all, Sort: SortIssuedDesc, Text: "vo thi mai"},
		{Scope: all, Sort: SortIssuedAsc, Text: "mai", DocType: "C"},
	}
	for _, q := range tests {
		want := pages(t, ix, q, 1000)
		for _, size := range []int{1, 2, 5} {
			if got := pages(t, ix, q, size); !slices.Equal(got, want) {
				t.Errorf("Search(%+v) by pages of %d = %q, want %q", q, size, got, want)
			}
		}
	}
}

// TestSearchTypoShortcuts checks typo tolerance's shortcuts: a word no
// record holds is the only one expanded fuzzily, its typo hits all score
// the same and come by ID; two unknown words get no typo tolerance.
func TestSearchTypoShortcuts(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	for i := range 6 {
		put(t, ix, named(fmt.Sprintf("duc-%d", (i*5)%6), "Nguyễn Văn Đức"))
	}
	put(t, ix, named("duy", "Nguyễn Văn Duy"), named("nguyet", "Nguyệt Văn Đức"), named("le", "Lê Văn Đức"))
	tests := []struct {
		text string
		want []string
	}{
		{"nguyen van dux", []string{"duc-0~", "duc-1~", "duc-2~", "duc-3~", "duc-4~", "duc-5~", "duy~"}},
		{"ngyen van duc", []string{"duc-0~", "duc-1~", "duc-2~", "duc-3~", "duc-4~", "duc-5~"}},
		{"ngyen van dux", nil}, // two typos
		{"nguyen van duy", []string{"duy", "duc-0~", "duc-1~", "duc-2~", "duc-3~", "duc-4~", "duc-5~"}},
	}
	for _, tt := range tests {
		for _, size := range []int{2, 20} {
			if got := pages(t, ix, Query{Scope: all, Text: tt.text}, size); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) by pages of %d = %q, want %q", tt.text, size, got, tt.want)
			}
		}
	}
}

func TestTypoText(t *testing.T) {
	t.Parallel()
	st := wordStats{docs: 100, df: map[string]uint64{"nguyen": 40, "van": 30, "duc": 5, "vn": 2}}
	tests := []struct {
		words  []string
		ok     bool
		single bool
	}{
		{[]string{"nguyen", "van", "duc"}, true, false},
		{[]string{"nguyen", "van", "dux"}, true, true},
		{[]string{"ngyen", "van", "dux"}, false, false},
		{[]string{"nguyen", "van"}, true, false},
		{[]string{"nguyen", "xy"}, false, false}, // the unknown word is too short to be a typo
		{[]string{"nguyen", "vn"}, true, true},   // "vn" is too short: only nguyen may be a typo
		{[]string{"vn", "dux"}, true, true},
		{[]string{"nguyen", "123"}, false, false},
	}
	for _, tt := range tests {
		got, ok := typoText(tt.words, st)
		if ok != tt.ok || got.single != tt.single {
			t.Errorf("typoText(%q) = single %v, %v; want single %v, %v", tt.words, got.single, ok, tt.single, tt.ok)
		}
	}
}

// TestSearchTurns checks that at most Config.MaxSearches searches run at
// once and that a search waiting its turn gives up when its context ends.
func TestSearchTurns(t *testing.T) {
	t.Parallel()
	ix, err := Open(Config{Dir: t.TempDir(), MaxSearches: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, ix)
	put(t, ix, named("a", "Ngô Bảo"))
	ix.searching <- struct{}{} // a search is running
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := ix.Search(ctx, Query{Scope: all, Text: "ngo bao"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Search while the only turn is taken = %v, want context.DeadlineExceeded", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ix.Search(context.Background(), Query{Scope: all, Text: "ngo bao"})
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("Search ran while the only turn was taken: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	<-ix.searching // the running search ends
	if err := <-done; err != nil {
		t.Errorf("Search after its turn came: %v", err)
	}
	if n := len(ix.searching); n != 0 {
		t.Errorf("%d turns still taken after every search ended", n)
	}
}
