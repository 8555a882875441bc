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
// of its holder. A word found in the holder name adds a bonus on top. Hits
// are ordered by score (or by issue date, Query.Sort), then by record ID, so
// equal scores page stably.
//
// The filters (document type, issuer, procedure, holder ID, issue-date
// range, validity, and the caller's Scope) narrow the hits inside the query
// without changing their scores, so Total, facets and pages count only what
// the caller may see. A Scope with nothing in it sees nothing. A query with
// filters and no words is not scored: its hits come in ID (or date) order.
//
// Validity is computed at query time against Query.Now's day: cancelled
// (Doc.Cancelled, or Record.Status == StatusCancelled), else expired when
// valid_until is before that day, else valid (open-ended records stay
// valid). The validity facet is counted by two extra counting searches.
//
// # Typos
//
// When the words as typed match fewer than typoBelow records, Search also
// returns the records that match with one word found one edit (a letter
// replaced, added or dropped) away in a holder name, after every exact hit,
// flagged Hit.Typo. Words are folded (marks and đ removed) before the fuzzy
// match. Words shorter than three letters never match fuzzily, and a query
// with a word holding digits (a number, a code) gets no typo tolerance at
// all, so 123/GP-BTNMT never finds 124/GP-BTNMT. The threshold does not
// depend on the page, so Total and pages stay consistent.
//
// # Dates
//
// bleve's numeric date fields cost a great deal of index space and query
// time (a range expands to many terms, sorting decodes many terms per
// date). Dates are therefore indexed as terms: a record issued on 2023-01-15
// holds x202, y2023, m202301 and d20230115, and a range becomes the fewest
// decade, year, month and day terms covering it (rangeTerms). A separate
// one-term field holding 20230115 sorts by date.
//
// # Fields
//
//	field           type      analysis
//	text            text      Vietnamese: the six text fields together
//	holder_name     text      Vietnamese (bonus, typo tolerance)
//	doc_type_code   keyword   exact, facet
//	issuer          keyword   exact after NFC and space clean-up, facet
//	procedure_code  keyword   exact, facet
//	holder_id       keyword   exact
//	agency          keyword   exact (Doc.Agency, for Scope)
//	status          keyword   "cancelled" or absent, facet
//	issued          keyword   date terms of issued_on
//	issued_sort     keyword   issued_on as 20060102, for sorting
//	valid_to        keyword   date terms of valid_until; "open" when
//	                          open-ended; absent when cancelled
//
// No field value is stored: the index holds terms, not copies of records.
//
// # Rebuilding
//
// The index is a cache of the catalog. Build writes a complete new index
// from a stream of documents, in batches, into a new directory. A Handle
// holds the serving index of a process: Handle.Rebuild builds a new index
// beside the serving one while searches go on, replays the writes made
// meanwhile, swaps the new one in under a write lock held only for the
// swap, then closes and deletes the old one. On disk a Handle's directory
// holds one subdirectory per index (gen-…) and a CURRENT file naming the
// serving one, replaced atomically, so a crash leaves either the old or the
// new index serving.
//
// # Mapping version
//
// bleve keeps the mapping an index was created with and uses it for ever
// after, so a change to the fields or the analyzer in this package does not
// reach an existing index. The index therefore records mappingVersion under an
// internal key. Whoever changes the mapping bumps mappingVersion; Open then
// refuses an older index with an error wrapping ErrStale that tells the
// operator to run `khoso reindex`. OpenHandle does not fail on a stale
// index: the Handle starts stale (Search returns the ErrStale error, the
// server keeps running) until Rebuild replaces it.
//
// # One process
//
// Only one process at a time can open an index (bleve holds a file lock). It
// belongs to the serving process; other commands go through that process's
// API. A second Open waits Config.LockTimeout, then fails with ErrLocked.
package search
