package archive

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Result codes (mã kết quả điện tử). Every record gets one when the catalog
// creates it, in the same transaction, and keeps it for good: a code is an
// identifier, not a promise that the result is available, so a row that
// fails at intake is numbered too and the numbers of a dossier have no gaps
// whatever becomes of its records. Correcting the dossier code later does
// not renumber.
//
// A record naming a dossier gets <dossier code>-KQ<nn> (Decree 45/2020
// Art. 14.3), nn counting the dossier's results from 01 across batches;
// any other record gets <agency>-<year>-<nnnnnn>, counting the agency's
// records without a dossier in a year (Vietnam's), the agency being
// [NoAgencyCode] when it has none. A dossier code that is not valid UTF-8
// or longer than MaxDossierCode characters (a row waiting for a clerk to
// correct it) is not used: such a record is numbered like one without.

// NoAgencyCode stands for the agency in the result codes of records that
// name none.
const NoAgencyCode = "KHOSO"

// MaxDossierCode is the longest dossier code, in characters, a result
// code is made from.
const MaxDossierCode = 64

// ResultCodeScope returns the counter a record's result code is numbered
// in, "dossier:<code>" or "agency:<agency>:<year>", and the function that
// makes the code from the number taken. created is when the record is made.
func ResultCodeScope(r *Record, created time.Time) (scope string, code func(n int64) string) {
	if dossier := r.Meta.DossierCode; dossier != "" && utf8.ValidString(dossier) && utf8.RuneCountInString(dossier) <= MaxDossierCode {
		return "dossier:" + dossier, func(n int64) string { return fmt.Sprintf("%s-KQ%02d", dossier, n) }
	}
	agency := r.Agency
	if agency == "" {
		agency = NoAgencyCode
	}
	year := created.In(Vietnam).Year()
	return fmt.Sprintf("agency:%s:%d", agency, year), func(n int64) string {
		return fmt.Sprintf("%s-%d-%06d", agency, year, n)
	}
}

// InResultCodeOrder returns recs ordered by the counter their result code
// is numbered in ([ResultCodeScope]), keeping their order within one.
// Creating a record locks its counter until the transaction ends, so
// transactions creating records of several dossiers in this order never
// wait for each other in a cycle (PostgreSQL would end such a deadlock by
// failing one), and a dossier's codes still follow the order of recs.
func InResultCodeOrder(recs []*Record, created time.Time) []*Record {
	scope := make(map[*Record]string, len(recs))
	for _, r := range recs {
		scope[r], _ = ResultCodeScope(r, created)
	}
	out := slices.Clone(recs)
	slices.SortStableFunc(out, func(a, b *Record) int { return strings.Compare(scope[a], scope[b]) })
	return out
}
