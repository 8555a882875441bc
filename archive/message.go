package archive

import (
	"errors"
	"strings"
)

// Error is an error a person can act on, said in Vietnamese and in English.
// Kind is the sentinel callers branch on (ErrInvalid, ErrNotFound, …); Err
// is the cause, kept for logs and never shown to a client.
type Error struct {
	Kind   error
	Vi, En string
	Err    error
}

// NewError returns an Error of kind with the two messages.
func NewError(kind error, vi, en string) *Error { return &Error{Kind: kind, Vi: vi, En: en} }

// Wrap returns an Error of kind with the two messages and cause err.
func Wrap(kind error, vi, en string, err error) *Error {
	return &Error{Kind: kind, Vi: vi, En: en, Err: err}
}

// Error returns both messages and the cause.
func (e *Error) Error() string {
	s := e.Message()
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Message is what a person reads: Vietnamese, then English.
func (e *Error) Message() string {
	switch {
	case e.Vi == "":
		return e.En
	case e.En == "":
		return e.Vi
	}
	return e.Vi + " / " + e.En
}

// Unwrap returns the kind and the cause, so errors.Is finds either.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, 2)
	for _, err := range []error{e.Kind, e.Err} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// MessageOf returns the message for people of the first Error in err's
// chain, and whether there was one.
func MessageOf(err error) (string, bool) {
	var e *Error
	if !errors.As(err, &e) {
		return "", false
	}
	return strings.TrimSpace(e.Message()), true
}
