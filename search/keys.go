package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"golang.org/x/text/unicode/norm"
)

// Code keys. A document number, a holder ID or a result code is written
// with separators that case handlers leave out or change: "CS 04512" is
// typed CS04512, "123/GP-BTNMT" is typed 123gpbtnmt or "123 gp btnmt", and
// on paper the number follows "Số". A code key is the code folded like
// text (NFC, marks and đ removed, lower case) with only [a-z0-9] kept and a
// leading "so" word dropped. It comes in two forms:
//
//   - compact: every separator dropped; 123/GP-BTNMT is 123gpbtnmt and
//     000.00.12.H01-240101-0001-KQ01 is 0000012h012401010001kq01.
//   - grouped: the same, except that separators between two digits or two
//     letters leave groupMark, so the runs typed apart stay apart:
//     1234/2023/GP-BTNMT is 1234_2023gp_btnmt. A separator between a
//     letter and a digit leaves nothing: the change of kind is a boundary
//     already.
//
// A record's number key field holds both forms. A query's code matches
// the grouped form of what was typed and, unless that separates two
// digits, the compact form: typed without separators, a number finds every
// grouping of the same letters and digits, typed with separators between
// digits it finds only the same grouping, so "123/45" never finds
// "12/345". A code also matches by prefix, when what follows it in a
// record's grouped key starts a new run (numberPrefix), so 123/GP finds
// 123/GP-BTNMT, but 123/GP-UBND does not find 123/GP-UBNDHN, nor 12 find
// 123.

// groupMark stands for separators between two digits in a grouped key.
// It sorts just below the letters, which numberPrefix relies on.
const groupMark = '_'

// numberMarker is the folded word that precedes a number on paper: "Số".
const numberMarker = "so"

// folder folds marks and đ like viAnalyzer's asciifolding char filter.
var folder = asciifolding.New()

// fold returns s in NFC with marks and đ folded, in lower case.
func fold(s string) string {
	return strings.ToLower(string(folder.Filter(norm.NFC.Bytes([]byte(s)))))
}

// codeKey returns the compact and grouped keys of s; both are empty when s
// holds no letter or digit.
func codeKey(s string) (compact, grouped string) {
	f := stripMarker(fold(s))
	var c, g strings.Builder
	var prev byte // the last letter or digit kept
	sep := false  // a separator since prev
	for i := 0; i < len(f); i++ {
		b := f[i]
		if !isAlnum(b) {
			sep = prev != 0
			continue
		}
		if sep && isDigit(prev) == isDigit(b) {
			g.WriteByte(groupMark)
		}
		c.WriteByte(b)
		g.WriteByte(b)
		prev, sep = b, false
	}
	return c.String(), g.String()
}

// digitsApart reports whether the grouped key g separates two digits.
func digitsApart(g string) bool {
	for i := 1; i+1 < len(g); i++ {
		if g[i] == groupMark && isDigit(g[i-1]) && isDigit(g[i+1]) {
			return true
		}
	}
	return false
}

// stripMarker drops a leading numberMarker word (followed by a separator)
// from the folded f.
func stripMarker(f string) string {
	t := strings.TrimLeftFunc(f, func(r rune) bool { return r > 0x7f || !isAlnum(byte(r)) })
	rest, ok := strings.CutPrefix(t, numberMarker)
	if !ok || rest == "" || isAlnum(rest[0]) {
		return f
	}
	return rest
}

// numberTerms returns the number key terms of a record whose number is n:
// its grouped and compact keys, once each, or nil when n has none.
func numberTerms(n string) []string {
	compact, grouped := codeKey(n)
	switch {
	case compact == "":
		return nil
	case compact == grouped:
		return []string{compact}
	}
	return []string{compact, grouped}
}

// holderKey is the holder key of a holder ID: its compact key, so that
// 0101234567-001 and 0101234567001 are one ID.
func holderKey(id string) string {
	compact, _ := codeKey(id)
	return compact
}

func isAlnum(b byte) bool { return isDigit(b) || 'a' <= b && b <= 'z' }

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
