package web

import (
	"context"

	"github.com/khoso-vn/khoso/archive"
)

// Credentials are what a person types into the sign-in form.
type Credentials struct {
	Login    string // normalised (NormalizeLogin)
	Password string
}

// IdentityProvider proves who signs in at POST /login and names the khoso
// user they are. The default checks login names and password hashes in
// the catalog; another (a directory, say) can take its place through
// Config.Identity. Whatever proved the person, the session that follows
// is the same (see startSession). Redirect-based sign-in such as OpenID
// Connect is described in README.md ("Signing in").
type IdentityProvider interface {
	// Name is recorded with each session and in the audit log
	// ("password").
	Name() string
	// Authenticate returns the user c proves to be. Wrong credentials of
	// any kind, an unknown login included, are one error wrapping
	// archive.ErrUnauthorized, returned after the same work, so that a
	// refusal never tells whether a login exists; other errors are faults.
	Authenticate(ctx context.Context, c Credentials) (*archive.User, error)
}
