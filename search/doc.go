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
// The number and the holder ID are also indexed as code keys (keys.go):
// folded the same way, with only [a-z0-9] kept and a leading "Số" dropped,
// so 123/GP-BTNMT is 123gpbtnmt in number_key (with 123gp_btnmt, the form
// that keeps runs of letters or digits typed apart), and 0101234567-001 is
// 0101234567001 in holder_key.
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
// How a word scores depends on the query. A query with a word holding
// digits (a number, a code) matches a handful of records and keeps bleve's
// tf-idf: the record whose shorter text holds the words ranks first. A
// query without digits (a name) matches thousands of records at a million,
// where tf-idf, which decodes a frequency and a length norm for every
// posting of a common word such as "nguyen", costs tens of milliseconds;
// each of its words scores a fixed weight instead: its idf in the text
// field (1 + ln(records / (records holding it + 1)), so rarer words weigh
// more), plus nameBoost times its idf in the holder name when the holder
// name holds it, the bonus scaled by the share of the words the holder name
// holds. The records whose holder name holds every word (the namesakes) all
// score the most any match can, so they come first, by ID; then the others,
// by how many and which words their holder name holds.
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
// valid). The validity facet takes one extra counting search (of the valid
// ones; the expired are what is left).
//
// # The search box
//
// Case handlers type names, numbers and IDs into one box, so Query.Text is
// read several ways, and a record matching any reading matches (box.go):
// every word in the text fields, as above; or one white-space separated
// piece as a code and the other pieces' words in the text fields; or the
// whole text as a code. A piece that may be a holder ID (9, 10, 12 or 13
// digits: CMND, tax code, CCCD, branch tax code; or an organisation code
// of 9 to 20 letters and digits, two thirds of them digits) is looked up
// in holder_key, exactly: "0101234567" finds the company, not its branch
// 0101234567-001. A piece with a word mixing letters and digits (CS04512,
// 123gpbtnmt), and the whole text unless it is one word of digits, are
// looked up in number_key, exactly or by a prefix that ends where a run of
// letters or digits does: "123gp" finds 123/GP-BTNMT, "CS0451" does not
// find CS 04512, "123/GP-UBND" does not find 123/GP-UBNDHN. Typed with a
// separator between two digits, a code matches only that grouping, so
// "123/45" never finds 12/345; typed without, it matches any. A piece "so"
// or "số" before a piece with a digit is the word printed before a number
// and is dropped. A plain number word not of an ID's length ("2023",
// "20230115") is only a word: it matches no number key, and never an
// issue date, which the text is not searched for.
//
// A holder ID match weighs idBoost times its idf, a fixed weight far above
// what tf-idf gives the words, so the holder's records come first; an
// exact number key weighs more than a prefix. Every reading is narrowed by
// the filters and the Scope inside it, so no reading reaches past them.
// The code readings only exist when the text holds a digit, so name
// queries keep the plan above.
//
// # Collecting hits
//
// bleve answers an unscored conjunction of terms as an AND of roaring
// bitmaps, far faster than the scored one, which advances the term lists
// against one another. Search uses that in four ways; a search that asks
// for facets goes through bleve's own collector instead, with the same
// order and scores.
//
//   - The scored clauses of a query are led by its unscored match set (a
//     clause that scores nothing and weighs nothing, leadQuery), so they
//     are only advanced to records that match them all.
//   - Search collects the hits itself (collect): it keeps the best of the
//     matches seen in a heap and loads a match's record ID only when it may
//     enter the page, where bleve's collector loads every match's ID to
//     break ties.
//   - For a name, when the namesakes fill the page, Search counts the
//     matches unscored and takes the page from the namesakes by ID, scoring
//     nothing (names.go).
//   - A search sorted by issue date walks the issue days instead of sorting
//     every match (see Dates).
//
// A search is CPU work from start to end, so Index runs at most
// Config.MaxSearches (by default GOMAXPROCS) at once and queues the others,
// first come first served. With more concurrent searches than cores, Go's
// scheduler would otherwise share the cores among all of them in 10 ms time
// slices, and a search of a few milliseconds caught at the end of a slice
// would wait for several others' slices; queued, it waits only for the
// searches ahead of it.
//
// # Typos
//
// When the words as typed match fewer than typoBelow records, Search also
// returns the records that match with one word found one edit away (a
// letter replaced, added or dropped) in a holder name, after every exact
// hit, flagged Hit.Typo. Words are folded (marks and đ removed) before the
// fuzzy match. Words shorter than three letters never match fuzzily, and a
// query with a word holding digits (a number, a code) gets no typo tolerance
// at all, so 123/GP-BTNMT never finds 124/GP-BTNMT. The threshold does not
// depend on the page, so Total and pages stay consistent.
//
// The exact hits, fewer than typoBelow, are left out of the typo hits by
// ID. A word that no record holds must be the typo, so only it is expanded
// fuzzily; two such words get no typo tolerance. Every word scores a fixed
// weight (the fuzzy one as a holder-name word), so when only one word may
// be the typo every typo hit scores the same and they come by ID, unscored.
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
// A search sorted by date that matches many more records than the page
// needs does not sort them all: it reads the issue days present in the
// index (the dictionary of that one-term field), and runs the query on runs
// of days newest (or oldest) first, each run twice as long as the one
// before, until the page is full; undated matches, which come last, are
// sorted whole (walk.go).
//
// # Fields
//
//	field           type      analysis
//	text            text      Vietnamese: the six text fields together
//	holder_name     text      Vietnamese (bonus, typo tolerance)
//	doc_type_code   keyword   exact, facet
//	issuer          keyword   exact after NFC and space clean-up, facet
//	procedure_code  keyword   exact, facet
//	result_type_code keyword  exact, facet
//	holder_id       keyword   exact
//	holder_key      keyword   holder ID as a compact code key (search box)
//	number_key      keyword   number and result code as code keys,
//	                          compact and grouped
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
