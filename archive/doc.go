// Package archive holds khoso's domain: records (digitised results of
// administrative procedures), their scanned pages, the batches clerks send,
// and the two storage contracts every backend implements: a content-addressed
// BlobStore for bytes and a Catalog for metadata and state.
//
// archive imports only the standard library; every other package points into
// it. Backends live in sub-packages (localdisk, sqlstore) and prove their
// semantics by running the suites in archivetest.
//
// # Record life cycle
//
// A record moves through these states, each reached by one pipeline stage:
//
//	received → normalised → assembled → signed → stored → available
//	    ↘            ↘           ↘          ↘        ↘
//	                          failed (with a reason a clerk can act on)
//
// A manifest row whose only fault is its metadata (a date that does not
// exist, a missing number) is received with that fault as its reason; once
// its pages are normalised it waits in needs_metadata instead of going on:
//
//	received → normalised ⇢ needs_metadata → (a clerk completes it) → normalised → assembled → …
//
// Any other row that cannot be accepted (it names files that were not sent)
// is recorded straight away as failed, so a batch report always lists every
// row the clerk sent. The metadata of an available record may be corrected
// later: each Correction keeps who, when, why and the values before and
// after, while the signed PDF keeps the values it was signed with.
//
// # Result codes
//
// The catalog gives every record a result code when it creates it, in
// the same transaction: <dossier code>-KQ<nn> (Decree 45/2020 Art. 14.3)
// or <agency>-<year>-<nnnnnn>, from a counter per dossier and per agency
// and year, so codes are unique and without gaps (see ResultCodeScope). A
// failed row is numbered too: the code names a document received, not a
// result available. Across systems a result is identified by its result
// type code (Metadata.ResultTypeCode, from the national procedure
// catalogue), its number and its holder ID.
//
// # Content addresses
//
// Every blob is named by the SHA-256 of its bytes (a Ref such as
// "sha256-9f86d0…"). Put checks the digest while the bytes stream in, so a
// backend never commits an object whose content does not match its name, and
// storing the same bytes twice is harmless.
package archive
