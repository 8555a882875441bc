package search

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestAnalyzerFoldsVietnamese(t *testing.T) {
	t.Parallel()
	ix := setup(t).ix
	const name = "Nguyễn Văn Đức"
	tests := []struct {
		in   string
		want []string
	}{
		{name, []string{"nguyen", "van", "duc"}},
		{strings.ToUpper(name), []string{"nguyen", "van", "duc"}},
		{norm.NFD.String(name), []string{"nguyen", "van", "duc"}},
		{norm.NFD.String(strings.ToUpper(name)), []string{"nguyen", "van", "duc"}},
		{"nguyen van duc", []string{"nguyen", "van", "duc"}},
		{"123/GP-BTNMT", []string{"123", "gp", "btnmt"}},
		{"Số 01/2023/TT-VPCP", []string{"so", "01", "2023", "tt", "vpcp"}},
		{"ÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ Đđ", []string{"aaaaa", "aaaaaa", "dd"}},
		{"ÈÉẺẼẸ ÊỀẾỂỄỆ ÌÍỈĨỊ", []string{"eeeee", "eeeeee", "iiiii"}},
		{"ÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ", []string{"ooooo", "oooooo"}},
		{"ÙÚỦŨỤ ƯỪỨỬỮỰ ỲÝỶỸỴ", []string{"uuuuu", "uuuuuu", "yyyyy"}},
		{"- / ;", nil},
	}
	for _, tt := range tests {
		if got := terms(ix.analyzer, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNFCFilter(t *testing.T) {
	t.Parallel()
	in := norm.NFD.String("Đức")
	if got := string(nfcFilter{}.Filter([]byte(in))); got != "Đức" {
		t.Errorf("Filter(%q) = %q, want NFC %q", in, got, "Đức")
	}
}
