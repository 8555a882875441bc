package archive

import "errors"

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
)
