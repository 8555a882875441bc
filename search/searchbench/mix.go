package searchbench

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/search"
)

// Query classes of the mix.
const (
	ClassName       = "name"         // holder's full name typed without marks
	ClassNumber     = "number"       // "1234/2023/GP-BTNMT" as written
	ClassNumSpaced  = "number_space" // "1234 2023 GP BTNMT"
	ClassNumSwapped = "number_swap"  // "gp-btnmt 1234/2023"
	ClassHolderID   = "holder_id"    // CCCD or tax code, exact
	ClassFilter     = "type_date"    // document type + one issue year, newest first
	ClassNameFilter = "name_type"    // family and given name + type + three issue years
	ClassTypo       = "name_typo"    // full name with one letter wrong: khoso only
)

// classes is the order the mix cycles through; ClassTypo is not in it.
var classes = []string{ClassName, ClassNumber, ClassNumSpaced, ClassNumSwapped, ClassHolderID,
	ClassFilter, ClassNameFilter}

// Case is one query of the mix.
type Case struct {
	Class string
	Query search.Query
	// From is the ID of the record the query was made from.
	From string
}

// limit is the page size of every query: a result list's first page.
const limit = 10

// Mix returns n queries over g's records, cycling through the classes, and
// n/len(classes) typo queries apart. It is deterministic.
func Mix(g Generator, n int) (common, typos []Case) {
	rng := rand.New(rand.NewPCG(g.Seed, 0x5eed))
	for k := range n {
		d := g.Doc(rng.IntN(g.N))
		c := classes[k%len(classes)]
		common = append(common, Case{Class: c, Query: queryOf(c, d), From: d.Record.ID})
		if k%len(classes) == 0 {
			typos = append(typos, Case{Class: ClassTypo, Query: typoQuery(rng, d), From: d.Record.ID})
		}
	}
	return common, typos
}

// queryOf is the query of class c that d should answer.
func queryOf(c string, d search.Doc) search.Query {
	m := d.Record.Meta
	q := search.Query{Scope: search.Scope{All: true}, Limit: limit}
	year := time.Date(m.IssuedOn.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	switch c {
	case ClassName:
		q.Text = Fold(m.HolderName)
	case ClassNumber:
		q.Text = m.Number
	case ClassNumSpaced:
		q.Text = strings.NewReplacer("/", " ", "-", " ").Replace(m.Number)
	case ClassNumSwapped:
		q.Text = swapNumber(m.Number)
	case ClassHolderID:
		q.HolderID = m.HolderID
	case ClassFilter:
		q.DocType, q.IssuedFrom, q.IssuedTo = m.DocTypeCode, year, year.AddDate(1, 0, -1)
		q.Sort = search.SortIssuedDesc
	case ClassNameFilter:
		words := strings.Fields(Fold(m.HolderName))
		q.Text = words[0] + " " + words[len(words)-1]
		q.DocType, q.IssuedFrom, q.IssuedTo = m.DocTypeCode, year.AddDate(-1, 0, 0), year.AddDate(2, 0, -1)
	}
	return q
}

// swapNumber writes "1234/2023/GP-BTNMT" as "gp-btnmt 1234/2023".
func swapNumber(n string) string {
	i := strings.LastIndex(n, "/")
	return strings.ToLower(n[i+1:]) + " " + n[:i]
}

// typoQuery is d's holder name without marks with one letter of its last
// word replaced.
func typoQuery(rng *rand.Rand, d search.Doc) search.Query {
	words := strings.Fields(Fold(d.Record.Meta.HolderName))
	last := []byte(words[len(words)-1])
	i := rng.IntN(len(last))
	last[i] = byte('a' + (int(last[i]-'a')+1+rng.IntN(24))%26)
	words[len(words)-1] = string(last)
	return search.Query{Scope: search.Scope{All: true}, Limit: limit, Text: strings.Join(words, " ")}
}

// Fold writes s as a user without a Vietnamese keyboard types it: no
// marks, đ as d, lower case.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
