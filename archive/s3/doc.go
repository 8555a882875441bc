// Package s3 is an archive.BlobStore on any S3 server (MinIO, Ceph RGW,
// AWS, versitygw), the production blob backend. It is the only package of
// khoso that imports minio-go.
//
// # Layout
//
// A blob is one object whose key is Config.Prefix + "sha256/" + the
// lowercase hex digest of its bytes, so a plain listing under the prefix is
// in Ref order.
//
// # Retention
//
// The bucket must have versioning and Object Lock enabled (New checks it),
// and every object is written with a COMPLIANCE retention until
// now + Config.Retention (ten years by default). Nobody, not even the
// account root, can delete or shorten a retained version before that date.
// Writing an existing key again is allowed by S3: it makes a new version
// and leaves the retained one intact. Receive never writes a key that
// already exists (the store is content-addressed), so the retention of an
// object is set when it is first stored and is not extended by later puts.
// A negative Config.Retention turns locking off, for replicas on servers
// without Object Lock.
//
// # Anchors
//
// The audit log's anchors (archive.Anchorer) are objects under
// Config.Prefix + "anchors/", written with the same COMPLIANCE retention.
// An anchor is written once; NewestAnchors reads each key's first version,
// so a later overwrite or delete marker cannot replace or hide it.
//
// # Versions
//
// khoso records the version ID of each object it stores (Version) and can
// read that exact version back (OpenVersion), so an overwrite by anyone
// cannot change what a record points to. Open and Stat look past delete
// markers: when the latest version of a key is a delete marker (someone
// removed the key without naming a version), they use the newest version
// that still holds bytes, so a delete marker cannot hide a retained result.
// Enumerate does the same. Store implements archive.Versioner; on a bucket
// without versioning (a replica, Retention negative) Version returns "".
//
// # Writes
//
// Receive streams src as a multipart upload of Config.PartSize parts, so it
// holds one part in memory whatever the size of the blob. If reading src
// fails, the upload is aborted and no object appears: an object is
// committed only after src reached io.EOF without error. An upload cut off
// by a crash leaves parts that are not an object; a bucket lifecycle rule
// (AbortIncompleteMultipartUpload) reclaims them.
//
// # Errors
//
// Errors are classified where they happen: a missing key or version wraps
// archive.ErrNotFound, a refusal to delete a locked version wraps
// archive.ErrConflict, a bad Config or Ref wraps archive.ErrInvalid, and
// every other error (network, 5xx, throttling) is returned as it came,
// to be retried.
package s3
