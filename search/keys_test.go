package search

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCodeKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, compact, grouped string }{
		{"123/GP-BTNMT", "123gpbtnmt", "123gp_btnmt"},
		{"123 gp btnmt", "123gpbtnmt", "123gp_btnmt"},
		{"123gpbtnmt", "123gpbtnmt", "123gpbtnmt"},
		{"CS 04512", "cs04512", "cs04512"},
		{"Số 123/GP-BTNMT", "123gpbtnmt", "123gp_btnmt"},
		{"số: 123/GP-BTNMT", "123gpbtnmt", "123gp_btnmt"},
		{norm.NFD.String("SỐ 123/GP-BTNMT"), "123gpbtnmt", "123gp_btnmt"},
		{"so 123", "123", "123"},
		{"so", "so", "so"},          // a marker alone is a word
		{"SO123", "so123", "so123"}, // not a marker: no separator
		{"Sơn 12", "son12", "son12"},
		{"1234/2023/GP-BTNMT", "12342023gpbtnmt", "1234_2023gp_btnmt"},
		{"123/45", "12345", "123_45"},
		{"12/345", "12345", "12_345"},
		{"000.00.12.H01-240101-0001-KQ01", "0000012h012401010001kq01", "000_00_12h01_240101_0001kq01"},
		{"0101234567-001", "0101234567001", "0101234567_001"},
		{"Đ 12/QĐ-UBND", "d12qdubnd", "d12qd_ubnd"},
		{" / - ", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		c, g := codeKey(tt.in)
		if c != tt.compact || g != tt.grouped {
			t.Errorf("codeKey(%q) = %q, %q; want %q, %q", tt.in, c, g, tt.compact, tt.grouped)
		}
	}
}

func TestNumberTerms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"123/GP-BTNMT", []string{"123gpbtnmt", "123gp_btnmt"}},
		{"CS 04512", []string{"cs04512"}},
		{"1234/2023/GP-BTNMT", []string{"12342023gpbtnmt", "1234_2023gp_btnmt"}},
		{"--", nil},
	}
	for _, tt := range tests {
		if got := numberTerms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("numberTerms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for g, want := range map[string]bool{"123_45": true, "123gp_btnmt": false, "1_a": false, "_1": false} {
		if got := digitsApart(g); got != want {
			t.Errorf("digitsApart(%q) = %v", g, got)
		}
	}
	if got := holderKey("0101234567-001"); got != "0101234567001" {
		t.Errorf("holderKey = %q", got)
	}
}
