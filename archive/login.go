package archive

import (
	"context"
	"time"
)

// Login is how a person signs in with a name and a password. A user has at
// most one login; a login whose PasswordHash is empty cannot sign in until
// its password is set (from a one-time PasswordLink).
type Login struct {
	UserID string `json:"user_id"`
	// Name is the login name, unique in the catalog. Callers normalise it
	// (the web face lower-cases it); the catalog compares it as stored.
	Name string `json:"name"`
	// PasswordHash is the encoded hash (a PHC string such as
	// "$argon2id$v=19$m=…"); never the password.
	PasswordHash string    `json:"-"`
	PasswordAt   time.Time `json:"password_at,omitzero"` // when the password was last set
	// User is the login's user, filled in by reads.
	User User `json:"user"`
}

// Session is a signed-in browser. Only the SHA-256 of its token is kept.
type Session struct {
	TokenHash Ref       `json:"-"`
	UserID    string    `json:"user_id"`
	Provider  string    `json:"provider"` // how the person proved who they are: "password", later "oidc"
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	// User is the session's user, filled in by reads.
	User User `json:"user"`
}

// PasswordLink is a one-time link that lets a user set their password.
// Only the SHA-256 of its token is kept.
type PasswordLink struct {
	TokenHash Ref       `json:"-"`
	UserID    string    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	UsedAt    time.Time `json:"used_at,omitzero"`
}

// LoginReader answers questions about logins, sessions and password links.
// A missing object is an error wrapping ErrNotFound.
type LoginReader interface {
	// Login returns the login named name, with its user.
	Login(ctx context.Context, name string) (*Login, error)
	// LoginOf returns the login of user userID, with its user.
	LoginOf(ctx context.Context, userID string) (*Login, error)
	// Session returns the session whose token hashes to tokenHash, with its
	// user. Expiry is the caller's to judge (CreatedAt, LastSeen).
	Session(ctx context.Context, tokenHash Ref) (*Session, error)
	// PasswordLink returns the link whose token hashes to tokenHash, used
	// or not, expired or not.
	PasswordLink(ctx context.Context, tokenHash Ref) (*PasswordLink, error)
}

// LoginWriter changes logins, sessions and password links.
type LoginWriter interface {
	// PutLogin inserts or replaces the login of l.UserID. A name that
	// another user's login has is an error wrapping ErrConflict; a user
	// that does not exist, one wrapping ErrNotFound.
	PutLogin(ctx context.Context, l *Login) error
	// CreateSession records s.
	CreateSession(ctx context.Context, s *Session) error
	// TouchSession sets the LastSeen of the session whose token hashes to
	// tokenHash. A missing session is an error wrapping ErrNotFound.
	TouchSession(ctx context.Context, tokenHash Ref, at time.Time) error
	// DeleteSession ends one session; a missing one is not an error.
	DeleteSession(ctx context.Context, tokenHash Ref) error
	// DeleteSessions ends every session of a user and returns how many.
	DeleteSessions(ctx context.Context, userID string) (int, error)
	// DeleteStaleSessions deletes the sessions created before
	// createdBefore or last seen before seenBefore (expired ones) and
	// returns how many.
	DeleteStaleSessions(ctx context.Context, createdBefore, seenBefore time.Time) (int, error)
	// CreatePasswordLink records l.
	CreatePasswordLink(ctx context.Context, l *PasswordLink) error
	// UsePasswordLink marks the link whose token hashes to tokenHash used at
	// at, once: a link that is missing, already used or expired at at is an
	// error wrapping ErrNotFound, and stays as it was.
	UsePasswordLink(ctx context.Context, tokenHash Ref, at time.Time) (*PasswordLink, error)
}
