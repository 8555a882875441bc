package search

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The search box. Case handlers type names, numbers and IDs into one box,
// so the free text is read several ways and a record matching any reading
// matches (boxQuery):
//
//   - every word in the text fields, as exactText matches;
//   - one white-space separated piece of the text as a code, the other
//     pieces' words in the text fields: a piece that may be a holder ID
//     (idShaped) against the holder key, a piece with a word mixing
//     letters and digits (CS04512, 123gp-btnmt) against the number key;
//   - the whole text as a code against the number key, unless it is one
//     word of digits, and, when it may be an ID, the holder key
//     ("123gpbtnmt", "123 gp btnmt", "0101234567 001").
//
// A piece "so" (Số) just before a piece with a digit is the word that
// precedes a number on paper and is dropped from every reading. A holder
// ID match outweighs any other (idBoost), so the holder's records come
// first; an exact number key match outweighs a prefix one.
//
// Other codes join the number key: a record's result code (such as
// 000.00.12.H01-240101-0001-KQ01 or BTNMT-2026-000123) is indexed by
// appending numberTerms of it to the record's fieldNumberKey terms in
// document; the readings above then find it typed with or without its dots
// and dashes.

// maxCodePieces is the most pieces a text may have for each to be read as
// a code: every piece reading repeats the other pieces' words, so a longer
// text is read only as words and as a whole.
const maxCodePieces = 8

// codeReading is a reading of the text where key is a code and others are
// the words the text fields must hold besides.
type codeReading struct {
	// holder is set when key is read as a holder ID, else as a number.
	holder bool
	// key is the compact key of a holder ID, the grouped key of a number.
	key    string
	others []string
}

// box is the free text of a Query, read.
type box struct {
	// words are the text's words, the "so" before a number left out.
	words []string
	// codes are the readings of a piece or of the whole text as a code.
	codes []codeReading
}

// readBox reads text, analysed by a. Only pieces holding a digit can be
// codes, so the others cost nothing more than their words.
func readBox(a analysis.Analyzer, text string) box {
	pieces := dropMarkers(strings.Fields(text))
	whole := strings.Join(pieces, " ")
	b := box{words: terms(a, whole)}
	if len(pieces) > 1 && len(pieces) <= maxCodePieces {
		for i, p := range pieces {
			holder, number, compact, grouped := pieceCode(p)
			if !holder && !number {
				continue
			}
			others := terms(a, strings.Join(slices.Delete(slices.Clone(pieces), i, i+1), " "))
			b.codes = append(b.codes, readings(holder, number, compact, grouped, others)...)
		}
	}
	holder, number, compact, grouped := wholeCode(whole, b.words)
	b.codes = append(b.codes, readings(holder, number, compact, grouped, nil)...)
	return b
}

// pieceCode reports whether piece may be read as a holder ID and as a
// number, with its keys. It is read as a number only when a run of
// letters and digits in it mixes both (CS04512, 123gp-btnmt): the words of
// 123/GP-BTNMT are found in the text fields anyway.
func pieceCode(piece string) (holder, number bool, compact, grouped string) {
	if !strings.ContainsAny(piece, "0123456789") {
		return false, false, "", ""
	}
	compact, grouped = codeKey(piece)
	return idShaped(compact), mixedRun(piece), compact, grouped
}

// wholeCode is pieceCode for the whole text, whose words are words. It is
// read as a number unless it is one word of digits only, a number word
// such as 2023 or 20230115 that must match as a word.
func wholeCode(text string, words []string) (holder, number bool, compact, grouped string) {
	if !strings.ContainsAny(text, "0123456789") {
		return false, false, "", ""
	}
	compact, grouped = codeKey(text)
	return idShaped(compact), len(words) != 1 || !allDigits(words[0]), compact, grouped
}

// readings returns the readings of a code whose keys are compact and
// grouped: as a holder ID if holder, as a number if number, each with
// others the words of the rest of the text.
func readings(holder, number bool, compact, grouped string, others []string) []codeReading {
	var out []codeReading
	if holder {
		out = append(out, codeReading{holder: true, key: compact, others: others})
	}
	if number {
		out = append(out, codeReading{key: grouped, others: others})
	}
	return out
}

// dropMarkers returns pieces without the "so" pieces that precede a piece
// holding a digit.
func dropMarkers(pieces []string) []string {
	out := pieces[:0:0]
	for i, p := range pieces {
		if len(p) <= maxMarkerLen && i+1 < len(pieces) && strings.ContainsAny(pieces[i+1], "0123456789") {
			if compact, _ := codeKey(p); compact == numberMarker {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// maxMarkerLen is the longest a numberMarker piece can be in bytes: "Số:"
// decomposed, with a mark or two of punctuation.
const maxMarkerLen = 10

// ID lengths in digits: old CMND, tax code, CCCD, branch tax code.
var idLengths = []int{9, 10, 12, 13}

// Organisation codes that may be holder IDs: between orgIDMin and orgIDMax
// letters and digits, at least two thirds of them digits (0000012h01 for
// 000.00.12.H01).
const (
	orgIDMin = 9
	orgIDMax = 20
)

// idShaped reports whether the compact key k may be a holder ID: digits of
// one of idLengths, or an organisation code.
func idShaped(k string) bool {
	digits := 0
	for i := 0; i < len(k); i++ {
		if isDigit(k[i]) {
			digits++
		}
	}
	if digits == len(k) {
		for _, n := range idLengths {
			if len(k) == n {
				return true
			}
		}
		return false
	}
	return orgIDMin <= len(k) && len(k) <= orgIDMax && 3*digits >= 2*len(k)
}

// mixedRun reports whether s has a letter next to a digit. Any non-ASCII
// byte counts as part of a letter: "Đ12" mixes, and a dash other than "-"
// next to a digit only costs one reading more.
func mixedRun(s string) bool {
	letter := func(b byte) bool { return b >= 0x80 || 'a' <= b|0x20 && b|0x20 <= 'z' }
	for i := 1; i < len(s); i++ {
		if isDigit(s[i-1]) && letter(s[i]) || letter(s[i-1]) && isDigit(s[i]) {
			return true
		}
	}
	return false
}

func allDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isDigit(w[i]) {
			return false
		}
	}
	return w != ""
}

// appendNew appends to list the words it does not hold yet.
func appendNew(list []string, words ...string) []string {
	for _, w := range words {
		if !slices.Contains(list, w) {
			list = append(list, w)
		}
	}
	return list
}
