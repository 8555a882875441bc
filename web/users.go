package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/khoso-vn/khoso/archive"
)

// Roles are the roles a person can be given, in the order forms list them.
var Roles = []archive.Role{archive.RoleAdmin, archive.RoleClerk, archive.RoleHandler, archive.RoleCitizen, archive.RoleAuditor}

// Size limits of a user's fields.
const (
	maxUserName  = 200
	maxHolderID  = 64
	maxTokenName = 100
)

// CheckUser trims u's fields and refuses a user whose role lacks what it
// needs: every user has a name, a clerk or handler an agency code, a
// citizen a holder ID. field names what is wrong ("role", "name",
// "agency", "holder_id"), for a form or a command-line flag to point at.
func CheckUser(u *archive.User) (field string, err error) {
	u.Name, u.Agency, u.HolderID = strings.TrimSpace(u.Name), strings.TrimSpace(u.Agency), strings.TrimSpace(u.HolderID)
	switch {
	case !slices.Contains(Roles, u.Role):
		return "role", archive.NewError(archive.ErrInvalid, fmt.Sprintf("vai trò %q không có; vai trò là một trong %v", u.Role, Roles),
			fmt.Sprintf("role %q: want one of %v", u.Role, Roles))
	case u.Name == "":
		return "name", archive.NewError(archive.ErrInvalid, "cần họ tên", "the name is required")
	case utf8.RuneCountInString(u.Name) > maxUserName || strings.IndexFunc(u.Name, unicode.IsControl) >= 0:
		return "name", archive.NewError(archive.ErrInvalid, fmt.Sprintf("họ tên tối đa %d ký tự, không có ký tự điều khiển", maxUserName),
			fmt.Sprintf("a name has at most %d characters and no control characters", maxUserName))
	case (u.Role == archive.RoleClerk || u.Role == archive.RoleHandler) && u.Agency == "":
		return "agency", archive.NewError(archive.ErrInvalid, fmt.Sprintf("vai trò %s cần mã cơ quan", u.Role),
			fmt.Sprintf("a %s needs an agency code", u.Role))
	case u.Agency != "" && !validAgencyCode(u.Agency):
		return "agency", errAgencyCode
	case u.Role == archive.RoleCitizen && u.HolderID == "":
		return "holder_id", archive.NewError(archive.ErrInvalid, "công dân cần số định danh (CCCD, mã số thuế)",
			"a citizen needs a holder ID (CCCD or tax code)")
	case len(u.HolderID) > maxHolderID || strings.IndexFunc(u.HolderID, unicode.IsSpace) >= 0:
		return "holder_id", archive.NewError(archive.ErrInvalid, fmt.Sprintf("số định danh tối đa %d ký tự, không có khoảng trắng", maxHolderID),
			fmt.Sprintf("a holder ID has at most %d characters and no spaces", maxHolderID))
	}
	return "", nil
}

// NewUser is a person to create: the user and, optionally, a login and a
// first API token.
type NewUser struct {
	User archive.User
	// Login is the login name (normalised by CreateUser); "" for none.
	Login string
	// Password, with Login, is set as the login's password; without one a
	// one-time set-password link is made.
	Password string
	// Token asks for a first API token (what `khoso user add` prints).
	Token bool
}

// Created is what creating a user shows once and never again.
type Created struct {
	Token string // the API token, when asked for
	Link  string // the one-time set-password path (/set-password/…), when made
}

// CreateUser checks n (CheckUser, CheckLogin, CheckPassword) and stores
// the user, its login and its first token in one transaction. The user's
// ID is made when empty.
func CreateUser(ctx context.Context, cat archive.Catalog, n *NewUser, now time.Time) (Created, error) {
	var out Created
	u := &n.User
	if _, err := CheckUser(u); err != nil {
		return out, err
	}
	if n.Login != "" {
		n.Login = NormalizeLogin(n.Login)
		if err := CheckLogin(n.Login); err != nil {
			return out, err
		}
		if n.Password != "" {
			if err := CheckPassword(n.Login, n.Password); err != nil {
				return out, err
			}
		}
	}
	if u.ID == "" {
		u.ID = archive.NewID("u", now)
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = now
	}
	var hash archive.Ref
	if n.Token {
		out.Token = NewAPIToken()
		hash = TokenHash(out.Token)
	}
	err := cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		if n.Login != "" {
			link, err := storeLogin(ctx, tx, u.ID, n.Login, n.Password, now)
			if err != nil {
				return err
			}
			out.Link = link
		}
		return nil
	})
	if err != nil {
		return Created{}, err
	}
	return out, nil
}

// storeLogin gives user userID the login name in tx, with password when
// not empty, else with a one-time link whose path it returns.
func storeLogin(ctx context.Context, tx archive.CatalogTx, userID, name, password string, now time.Time) (string, error) {
	lg := &archive.Login{UserID: userID, Name: name}
	if password != "" {
		h, err := HashPassword(password)
		if err != nil {
			return "", err
		}
		lg.PasswordHash, lg.PasswordAt = h, now
	}
	if err := tx.PutLogin(ctx, lg); errors.Is(err, archive.ErrConflict) {
		return "", archive.NewError(archive.ErrConflict, "tên đăng nhập này đã có người dùng", "this login name is taken")
	} else if err != nil {
		return "", err
	}
	if password != "" {
		return "", nil
	}
	return NewPasswordLink(ctx, tx, userID, now)
}

// NewAPIToken returns a new API token: "khoso_" and 256 random bits. Only
// its TokenHash is kept.
func NewAPIToken() string { return "khoso_" + newToken() }
