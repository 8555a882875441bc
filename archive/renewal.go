package archive

import "time"

// RenewalKey places a result or a copy in the order the renewal reads them
// (Catalog.RecordsToRenew, Catalog.CopiesToRenew): first those whose
// trust is not known (a zero TrustedUntil), by ID, then by TrustedUntil
// and ID. The last key of a page is where the next page starts, so rows
// that change meanwhile are neither skipped nor read twice in one pass.
type RenewalKey struct {
	ID           string    // a record's or a copy's ID
	TrustedUntil time.Time // zero when not known
}
