package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/khoso-vn/khoso/archive"
)

// boxRecords are the records of the search box tests.
func boxRecords() []*archive.Record {
	m := func(id, holderID, holder, number string) *archive.Record {
		return record(id, archive.Metadata{HolderID: holderID, HolderName: holder, Number: number})
	}
	dated := m("dated", "079300000002", "Đỗ Hải", "45/QĐ-UBND")
	dated.Meta.IssuedOn = day("2023-01-15")
	mentions := m("mentions", "079200000001", "Phan Văn Tú", "7/UQ")
	mentions.Meta.Summary = "ủy quyền cho 001085012345"
	return []*archive.Record{
		m("cccd", "001085012345", "Nguyễn Văn An", "12/GP-UBND"),
		m("cccd2", "001085012345", "Nguyễn Văn An", "13/GP-UBND"),
		m("cccd-next", "001085012346", "Nguyễn Văn An", "14/GP-UBND"),
		m("cmnd", "123456789", "Trần Thị Bình", "88/GCN"),
		m("company", "0101234567", "Công ty TNHH Minh Phát", "9/GPKD"),
		m("branch", "0101234567-001", "Chi nhánh Công ty TNHH Minh Phát", "10/GPKD"),
		m("org", "000.00.12.H01", "Sở Tài nguyên và Môi trường", "5/GP"),
		mentions, dated,
		m("cs", "079100000003", "Lý Mai", "CS 04512"),
		m("cs-next", "079100000004", "Lý Mai", "CS 04513"),
		m("cs-longer", "079100000005", "Lý Mai", "CS 045120"),
		m("btnmt", "079100000006", "Võ Hùng", "123/GP-BTNMT"),
		m("btnmt-1234", "079100000007", "Võ Hùng", "1234/GP-BTNMT"),
		m("ubnd", "079100000008", "Võ Hùng", "123/GP-UBND"),
		m("ubndhn", "079100000009", "Võ Hùng", "123/GP-UBNDHN"),
		m("group-3-2", "079100000010", "Hà Linh", "123/45"),
		m("group-2-3", "079100000011", "Hà Linh", "12/345"),
	}
}

func TestSearchBoxHolderID(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix, boxRecords()...)
	tests := []struct {
		text string
		want []string // in order
	}{
		// The holder's records first, then the one that only mentions the ID.
		{"001085012345", []string{"cccd", "cccd2", "mentions"}},
		{" 001085012345 ", []string{"cccd", "cccd2", "mentions"}},
		{"001.085.012.345", []string{"cccd", "cccd2"}},
		{"nguyen van an 001085012345", []string{"cccd", "cccd2"}},
		{"001085012345 Nguyễn", []string{"cccd", "cccd2"}},
		{"001085012345 tran", nil},
		{"123456789", []string{"cmnd"}},
		{"tran thi binh 123456789", []string{"cmnd"}},
		{"0101234567", []string{"company"}},
		{"minh phat 0101234567", []string{"company"}},
		{"0101234567-001", []string{"branch"}},
		{"0101234567001", []string{"branch"}},
		{"0101234567 001", []string{"branch"}},
		{"000.00.12.H01", []string{"org"}},
		{"0000012h01", []string{"org"}},
		// Found or refused as before. No false positives: an ID one digit
		// short or long, or a prefix of one.
		{"00108501234", nil},
		{"0010850123456", nil},
		{"010123456", nil},
		// Digits of a date match no ID and no number.
		{"20230115", nil},
		{"15/01/2023", nil},
		{"15012023", nil},
	}
	for _, tt := range tests {
		got := hitIDs(t, ix, Query{Scope: all, Text: tt.text})
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) = %q, want %q", tt.text, got, tt.want)
		}
		// Sorted by date, or with facets, the same records match.
		checkIDs(t, ix, Query{Scope: all, Text: tt.text, Sort: SortIssuedDesc}, tt.want...)
		checkIDs(t, ix, Query{Scope: all, Text: tt.text, Facets: true}, tt.want...)
	}
}

func TestSearchBoxNumber(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	put(t, ix, boxRecords()...)
	tests := []struct {
		text string
		want []string // in any order
	}{
		{"CS04512", []string{"cs"}},
		{"cs04512", []string{"cs"}},
		{"CS0451", nil}, // a prefix never splits a run of digits
		{"123gpbtnmt", []string{"btnmt"}},
		{"123GPBTNMT", []string{"btnmt"}},
		{"123gp-btnmt", []string{"btnmt"}},
		{"so 123/GP-BTNMT", []string{"btnmt"}},
		{"số 123/GP-BTNMT", []string{"btnmt"}},
		{"Số: 123/GP-BTNMT", []string{"btnmt"}},
		{"SỐ 123gpbtnmt", []string{"btnmt"}},
		{"so 123 gp btnmt", []string{"btnmt"}},
		{"vo hung so 123gpbtnmt", []string{"btnmt"}},
		{"1234gpbtnmt", []string{"btnmt-1234"}},
		{"23gpbtnmt", nil},
		{"123gpubnd", []string{"ubnd"}},
		{"123gpubndhn", []string{"ubndhn"}},
		// A prefix ends where a run does.
		{"123gp", []string{"btnmt", "ubnd", "ubndhn"}},
		{"123gpbt", nil},
		{"nguyen van an 12gpubnd", []string{"cccd"}},
		{"12gpubnd nguyen", []string{"cccd"}},
		{"12gpubnd tran", nil},
		// Found or refused as before. Separators between digits keep their
		// grouping; a number word alone is a word, not a prefix.
		{"04512", []string{"cs"}},
		{"CS 04512", []string{"cs"}},
		{"cs-04512", []string{"cs"}},
		{"123 gp btnmt", []string{"btnmt"}},
		{"123/gp-btnmt", []string{"btnmt"}},
		{"123 GP-BTNMT", []string{"btnmt"}},
		{"123/GP-UBND", []string{"ubnd"}},
		{"123/GP-BTNMT", []string{"btnmt"}},
		{"123/45", []string{"group-3-2"}},
		{"12/345", []string{"group-2-3"}},
		{"123-45", []string{"group-3-2"}},
		{"12345", nil},
		{"123", []string{"btnmt", "ubnd", "ubndhn", "group-3-2"}},
		{"nguyen van an", []string{"cccd", "cccd2", "cccd-next"}},
		{"nguyen van aan", []string{"cccd", "cccd2", "cccd-next"}},
	}
	for _, tt := range tests {
		checkIDs(t, ix, Query{Scope: all, Text: tt.text}, tt.want...)
	}
}

func TestSearchBoxScope(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	for i, r := range boxRecords() {
		agency := "A"
		if i%2 == 1 {
			agency = "B"
		}
		putDocs(t, ix, Doc{Record: r, Agency: agency})
	}
	// Even records are in A, odd ones in B: cccd, btnmt and ubnd in A;
	// cccd2, mentions, cs and ubndhn in B.
	tests := []struct {
		text  string
		scope Scope
		want  []string
	}{
		{"001085012345", Scope{Agencies: []string{"A"}}, []string{"cccd"}},
		{"001085012345", Scope{Agencies: []string{"B"}}, []string{"cccd2", "mentions"}},
		{"001085012345", Scope{RecordIDs: []string{"cccd2"}}, []string{"cccd2"}},
		{"001085012345", Scope{HolderIDs: []string{"079200000001"}}, []string{"mentions"}},
		{"001085012345", Scope{}, nil},
		{"CS04512", Scope{Agencies: []string{"A"}}, nil},
		{"CS04512", Scope{Agencies: []string{"B"}}, []string{"cs"}},
		{"so 123gpbtnmt", Scope{Agencies: []string{"B"}}, nil},
		{"so 123gpbtnmt", Scope{Agencies: []string{"A"}}, []string{"btnmt"}},
		{"123gp", Scope{Agencies: []string{"A"}}, []string{"btnmt", "ubnd"}},
		{"123gp", Scope{Agencies: []string{"B"}}, []string{"ubndhn"}},
	}
	for _, tt := range tests {
		checkIDs(t, ix, Query{Scope: tt.scope, Text: tt.text}, tt.want...)
		res := mustSearch(t, ix, Query{Scope: tt.scope, Text: tt.text, Facets: true})
		if res.Total != uint64(len(tt.want)) {
			t.Errorf("Search(%q, %+v) with facets: total %d, want %d", tt.text, tt.scope, res.Total, len(tt.want))
		}
	}
}

// TestSearchBoxResultCode checks that a code shaped like a result code
// (000.00.12.H01-240101-0001-KQ01) matches however its dots and dashes are
// typed, through the number key that a result code field would share.
func TestSearchBoxResultCode(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	const code = "000.00.12.H01-240101-0001-KQ01"
	put(t, ix,
		record("kq01", archive.Metadata{Number: code, HolderName: "Lương Minh"}),
		record("kq02", archive.Metadata{Number: "000.00.12.H01-240101-0001-KQ02", HolderName: "Lương Minh"}),
		record("other-day", archive.Metadata{Number: "000.00.12.H01-240102-0001-KQ01", HolderName: "Lương Minh"}),
	)
	tests := []struct {
		text string
		want []string
	}{
		{code, []string{"kq01"}},
		{"000.00.12.h01-240101-0001-kq01", []string{"kq01"}},
		{"0000012H012401010001KQ01", []string{"kq01"}},
		{"000 00 12 H01 240101 0001 KQ01", []string{"kq01"}},
		{"000.00.12.H01-240101-0001", []string{"kq01", "kq02"}},
		{"000.00.12.H01-240101-0001-KQ0", nil},
		{"0000012H012401010001KQ03", nil},
		{"luong minh 0000012H012401020001KQ01", []string{"other-day"}},
	}
	for _, tt := range tests {
		checkIDs(t, ix, Query{Scope: all, Text: tt.text}, tt.want...)
	}
}

func TestReadBoxLongText(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	text := strings.Repeat("CS04512 ", 3*maxCodePieces)
	if b := readBox(ix.analyzer, text); len(b.codes) != 1 {
		t.Errorf("readBox of %d pieces: %d code readings, want 1 (the whole)", 3*maxCodePieces, len(b.codes))
	}
	text = strings.Repeat("CS04512 ", maxCodePieces)
	if b := readBox(ix.analyzer, text); len(b.codes) != maxCodePieces+1 {
		t.Errorf("readBox of %d pieces: %d code readings, want %d", maxCodePieces, len(b.codes), maxCodePieces+1)
	}
}
