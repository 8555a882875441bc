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
// A manifest row that cannot be accepted is recorded straight away as failed,
// so a batch report always lists every row the clerk sent.
//
// # Content addresses
//
// Every blob is named by the SHA-256 of its bytes (a Ref such as
// "sha256-9f86d0…"). Put checks the digest while the bytes stream in, so a
// backend never commits an object whose content does not match its name, and
// storing the same bytes twice is harmless.
package archive
