// Package searchbench measures khoso search against PostgreSQL full-text
// search on the same synthetic records and the same query mix.
//
// Generate makes N records deterministically from a seed: Vietnamese holder
// names drawn with realistic family-name frequencies, CCCD and tax codes,
// document numbers such as "1234/2023/GP-BTNMT", issuers, procedures and
// dates. Run builds a search index of them, loads them into a PostgreSQL
// table with a generated tsvector column (unaccent, GIN index), runs the
// query mix against both at several concurrency levels and returns a Report
// whose Print writes the table BENCHMARKS.md quotes: p50/p99 latency,
// queries/s, build rate, index size, peak RSS, and a recall check of the two
// systems' top hits.
//
// The benchmark lives in bench_test.go; BENCHMARKS.md beside the search
// package gives the command. Nothing here asserts on timing.
package searchbench
