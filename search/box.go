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
//     (idShaped) against the holder key, a piece that holds a digit and is
//     not one plain number word (123/GP-BTNMT, CS04512, 0101234567-001)
//     against the number key;
//   - the whole text as a code against the number key and, when it may be
//     an ID, the holder key ("123 gp btnmt", "0101234567 001").
//
// A piece "so" (Số) just before a piece with a digit is the word that
// precedes a number on paper and is dropped from every reading. A holder
// ID match outweighs any other (idBoost), so the holder's records come
// first; an exact number key match outweighs a prefix one.
//
// Other codes join the number key: a record's result code (such as
// 000.00.12.H01-240101-0001-KQ01), once archive.Metadata has one, is
// indexed by appending numberTerms of it to the record's fieldNumberKey
// terms in document (and bumping mappingVersion); the readings above then
// find it typed with or without its dots and dashes, with no change here.

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

// readBox reads text, analysed by a.
func readBox(a analysis.Analyzer, text string) box {
	pieces := dropMarkers(strings.Fields(text))
	words := make([][]string, len(pieces))
	for i, p := range pieces {
		words[i] = terms(a, p)
	}
	b := box{words: terms(a, strings.Join(pieces, " "))}
	for i, p := range pieces {
		if len(pieces) > maxCodePieces {
			break
		}
		var others []string
		for j := range pieces {
			if j != i {
				others = appendNew(others, words[j]...)
			}
		}
		b.codes = append(b.codes, pieceReadings(p, words[i], others)...)
	}
	if len(pieces) > 1 {
		b.codes = append(b.codes, pieceReadings(strings.Join(pieces, " "), nil, nil)...)
	}
	return b
}

// pieceReadings returns the readings of piece as a code, with others the
// words of the rest of the text. words are piece's own words; nil means
// piece is the whole text, always worth reading as a number.
func pieceReadings(piece string, words, others []string) []codeReading {
	compact, grouped := codeKey(piece)
	if !strings.ContainsFunc(compact, func(r rune) bool { return isDigit(byte(r)) }) {
		return nil
	}
	var out []codeReading
	if idShaped(compact) {
		out = append(out, codeReading{holder: true, key: compact, others: others})
	}
	if words == nil || len(words) > 1 || !allDigits(words[0]) {
		out = append(out, codeReading{key: grouped, others: others})
	}
	return out
}

// dropMarkers returns pieces without the "so" pieces that precede a piece
// holding a digit.
func dropMarkers(pieces []string) []string {
	out := make([]string, 0, len(pieces))
	for i, p := range pieces {
		compact, _ := codeKey(p)
		if compact == numberMarker && i+1 < len(pieces) && strings.ContainsAny(pieces[i+1], "0123456789") {
			continue
		}
		out = append(out, p)
	}
	return out
}

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
