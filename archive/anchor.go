package archive

import (
	"context"
	"fmt"
)

// Anchorer is the optional capability of a BlobStore that keeps small named
// objects beside the blobs, each written once: the audit log's anchors,
// copies of its newest checkpoints kept outside the catalog so that a log
// cut or rewritten in the catalog still disagrees with them. Backends keep
// them where the blobs' own protection applies (S3 Object Lock retention).
type Anchorer interface {
	// PutAnchor stores data under name (see ValidAnchorName). Writing a
	// name again with the same bytes succeeds and changes nothing; with
	// other bytes it fails with an error wrapping ErrConflict and the
	// stored anchor stays. A bad name wraps ErrInvalid.
	PutAnchor(ctx context.Context, name string, data []byte) error
	// NewestAnchors returns up to n anchors, greatest name first. A store
	// with none returns an empty slice and a nil error.
	NewestAnchors(ctx context.Context, n int) ([]Anchor, error)
}

// Anchor is one named object of an Anchorer.
type Anchor struct {
	Name string
	Data []byte
}

// MaxAnchorSize bounds the bytes of one anchor.
const MaxAnchorSize = 1 << 20

// ValidAnchorName reports an error wrapping ErrInvalid unless name is 1 to
// 128 characters of a-z, 0-9, '.', '_' and '-', not starting with '.', so
// that it is a safe file name and object key everywhere.
func ValidAnchorName(name string) error {
	if name == "" || len(name) > 128 || name[0] == '.' {
		return fmt.Errorf("archive: anchor name %q: %w", name, ErrInvalid)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("archive: anchor name %q: %w", name, ErrInvalid)
		}
	}
	return nil
}
