package archive

import (
	"errors"
	"fmt"
	"syscall"
)

// Sentinel errors. Backends classify their failures into these at the I/O
// edge; callers branch on them with errors.Is.
var (
	// ErrNotFound means the object, record or batch does not exist.
	ErrNotFound = errors.New("not found")
	// ErrCorrupt means stored or received bytes do not match their content
	// address.
	ErrCorrupt = errors.New("content does not match its address")
	// ErrInvalid means the caller's input is malformed.
	ErrInvalid = errors.New("invalid input")
	// ErrUnauthorized means the caller did not prove who they are.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrConflict means the operation does not fit the current state.
	ErrConflict = errors.New("conflict")
	// ErrNoSpace means a write failed because the disk, the database or the
	// object store is full. It passes once space is freed: retry later.
	ErrNoSpace = errors.New("storage full")
)

// NoSpace marks err as ErrNoSpace when it is a file system's "no space
// left on device" or "quota exceeded"; other errors are returned unchanged.
func NoSpace(err error) error {
	if err != nil && !errors.Is(err, ErrNoSpace) && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)) {
		return fmt.Errorf("%w: %w", ErrNoSpace, err)
	}
	return err
}
