// Package ingest takes batches of scanned documents in and drives each
// record through the pipeline, one River job per stage:
//
//	normalise → assemble → sign → store → index
//
// Intake stores every original page before it enqueues the first job, so
// nothing accepted is lost even if the process dies. Each stage loads its
// record, does idempotent work (content addressing makes a repeated put
// harmless), then in ONE catalog transaction records the new state and
// inserts the next job. A stage that finds its record already past it does
// nothing. Permanent faults (an undecodable page) fail the record with a
// reason a clerk can act on and cancel the job; transient ones return an
// error so River retries with backoff, and the last attempt fails the record.
//
// A row whose only fault is its metadata has its pages stored and
// normalised, then waits in needs_metadata (thumbnails and previews exist,
// so a clerk can read the pages); Intake.UpdateMetadata completes it and
// enqueues assemble in the same transaction. The same call corrects an
// available record with a reason, kept as an archive.Correction, and
// enqueues its re-indexing.
//
// Each stage lives in its own file with its Args and Worker side by side.
// Image and PDF work is in the River-free sub-packages scan and assemble.
package ingest
