// Package search is khoso's full-text index of record metadata, so that case
// handlers can find permits by holder name typed without diacritics, by
// document number, by document type, by holder ID and by issue date.
//
// The index is a rebuildable cache: the catalog is the source of truth, and
// `khoso reindex` rebuilds the index from it. The index stores only what it
// needs to answer queries; a search returns record IDs and scores, and the
// caller loads the records from the catalog.
//
// # Vietnamese analysis
//
// Text fields go through one analyzer:
//
//	NFC char filter → asciifolding → unicode tokenizer → lowercase
//
// NFC composes decomposed input (a base letter followed by combining marks, as
// some keyboards and PDF extractors produce) so that asciifolding, which only
// knows precomposed letters, can fold it. asciifolding also folds Đ/đ to D/d.
// "Nguyễn Văn Đức", "NGUYỄN VĂN ĐỨC" and its NFD form therefore all index as
// the terms nguyen, van, duc; a query goes through the same analyzer, so
// "nguyen van duc" finds them all. A document number such as "123/GP-BTNMT"
// indexes as 123, gp, btnmt, so "123 GP BTNMT" and "gp-btnmt 123" find it.
//
// Folding loses the marks: "Đức" and "Dực" are the same word to the index.
//
// # Queries
//
// Every word of the free text must match, each in any of the text fields
// (holder name, document name, number, issuer, summary, validity scope). The
// words are matched against one field holding all of them, so that a word
// weighs the same whichever field it came from: a name that is rare in
// summaries does not lift a record that only mentions it above the records
// of its holder. A word found in the holder name or the number adds a bonus
// on top. The document type, holder ID and issue-date filters narrow the hits
// without changing their scores. Hits are ordered by score, then by record
// ID, so equal scores page stably.
//
// # Fields
//
//	field           type      analysis
//	doc_type_code   keyword   exact
//	doc_name        text      Vietnamese
//	number          text      Vietnamese
//	issuer          text      Vietnamese
//	holder_id       keyword   exact
//	holder_name     text      Vietnamese
//	summary         text      Vietnamese
//	validity_scope  text      Vietnamese
//	procedure_code  keyword   exact
//	dossier_code    keyword   exact
//	batch_id        keyword   exact
//	issued_on       datetime
//	valid_until     datetime  (absent when open-ended)
//	text            text      Vietnamese: the six text fields together
//
// No field value is stored: the index holds terms, not copies of records.
//
// # Mapping version
//
// bleve keeps the mapping an index was created with and uses it for ever
// after, so a change to the fields or the analyzer in this package does not
// reach an existing index. The index therefore records mappingVersion under an
// internal key. Whoever changes the mapping bumps mappingVersion; Open then
// refuses an older index with an error wrapping ErrStale that tells the
// operator to run `khoso reindex`.
//
// # One process
//
// Only one process at a time can open an index (bleve holds a file lock). It
// belongs to the serving process; other commands go through that process's
// API. A second Open waits Config.LockTimeout, then fails with ErrLocked.
package search
