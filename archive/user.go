package archive

import (
	"context"
	"time"
)

// Token is one named API token of a user, for scripts and other systems.
// Only the SHA-256 of its secret is kept; a user may hold several.
type Token struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"` // what the token is for ("scanner script")
	Hash      Ref       `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// LastUsed is when the token was last presented, to about a minute.
	LastUsed  time.Time `json:"last_used,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	// User is the token's user, filled in by TokenByHash.
	User User `json:"user"`
}

// Revoked reports whether the token no longer works.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// DefaultTokenName names the token a user is created with (CreateUser
// with a hash), and the tokens kept from before users had several.
const DefaultTokenName = "default"

// UserFilter selects users in a listing. Zero fields select all.
type UserFilter struct {
	Role   Role
	Agency string
	Limit  int // at most this many; 0 means no limit
	Offset int // skip this many first
}

// UserSummary is a user with their login, as an administrator lists them.
type UserSummary struct {
	User
	Login       string // login name, "" without a login
	PasswordSet bool   // the login has a password
}

// Agency is a registered agency: the code users and records carry, and its
// names.
type Agency struct {
	Code      string    `json:"code"`
	NameVi    string    `json:"name_vi"`
	NameEn    string    `json:"name_en,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// AgencySummary is an agency code in use or registered, with how many
// users and records carry it. Named is false for a code users or records
// carry that was never registered. Code "" counts the records made before
// every record had an agency.
type AgencySummary struct {
	Agency
	Named   bool
	Users   int
	Records int
}

// UserReader answers questions about users, their API tokens and the
// agency registry. A missing object is an error wrapping ErrNotFound.
type UserReader interface {
	// User returns one user.
	User(ctx context.Context, id string) (*User, error)
	// Users returns the users f selects, oldest first, with their logins.
	Users(ctx context.Context, f UserFilter) ([]UserSummary, error)
	// Token returns one token, without its user.
	Token(ctx context.Context, id string) (*Token, error)
	// TokenByHash returns the token whose secret hashes to hash, revoked or
	// not, with its user. Refusing a revoked token or a disabled user is
	// the caller's to do.
	TokenByHash(ctx context.Context, hash Ref) (*Token, error)
	// Tokens returns a user's tokens, oldest first; none is not an error.
	Tokens(ctx context.Context, userID string) ([]Token, error)
	// Agencies returns every registered agency and every code users or
	// records carry, by code, with their counts.
	Agencies(ctx context.Context) ([]AgencySummary, error)
	// StatusCounts returns how many records are in each status.
	StatusCounts(ctx context.Context) (map[Status]int, error)
}

// UserWriter changes users, tokens and the agency registry.
type UserWriter interface {
	// UpdateUser overwrites u's name, role, agency, holder ID and
	// DisabledAt. A missing user is an error wrapping ErrNotFound.
	UpdateUser(ctx context.Context, u *User) error
	// CreateToken records t. A missing user is an error wrapping
	// ErrNotFound; a hash already kept, one wrapping ErrConflict.
	CreateToken(ctx context.Context, t *Token) error
	// RevokeToken ends token id at at; revoking it again keeps the first
	// time. A missing token is an error wrapping ErrNotFound.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// TouchToken sets the LastUsed of token id. A missing token is an
	// error wrapping ErrNotFound.
	TouchToken(ctx context.Context, id string, at time.Time) error
	// PutAgency registers a or renames it; a renamed agency keeps its
	// CreatedAt, which PutAgency sets in a.
	PutAgency(ctx context.Context, a *Agency) error
}
