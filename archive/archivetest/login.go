package archivetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// testLogins: a login round-trips with its user, names are unique, a
// password is replaced in place.
func testLogins(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	hoa := mustUser(t, c, "u-hoa", "Lê Thị Hoa")
	an := mustUser(t, c, "u-an", "Trần Văn An")
	set := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	put := func(l archive.Login) error {
		return c.Update(ctx, func(tx archive.CatalogTx) error { return tx.PutLogin(ctx, &l) })
	}
	if err := put(archive.Login{UserID: hoa.ID, Name: "hoa"}); err != nil {
		t.Fatalf("PutLogin: %v", err)
	}
	l, err := c.Login(ctx, "hoa")
	if err != nil || l.UserID != hoa.ID || l.PasswordHash != "" || l.User.Name != hoa.Name || l.User.Role != archive.RoleClerk {
		t.Fatalf("Login = %+v, %v", l, err)
	}
	if err := put(archive.Login{UserID: an.ID, Name: "hoa"}); !errors.Is(err, archive.ErrConflict) {
		t.Errorf("a second user's login with the same name: %v, want ErrConflict", err)
	}
	if err := put(archive.Login{UserID: "u-nobody", Name: "nobody"}); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("login of a missing user: %v, want ErrNotFound", err)
	}
	if err := put(archive.Login{UserID: hoa.ID, Name: "hoa", PasswordHash: "$argon2id$x", PasswordAt: set}); err != nil {
		t.Fatalf("PutLogin with a password: %v", err)
	}
	l, err = c.LoginOf(ctx, hoa.ID)
	if err != nil || l.Name != "hoa" || l.PasswordHash != "$argon2id$x" || !l.PasswordAt.Equal(set) {
		t.Fatalf("LoginOf = %+v, %v", l, err)
	}
	if _, err := c.Login(ctx, "an"); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Login of a missing name: %v, want ErrNotFound", err)
	}
	if _, err := c.LoginOf(ctx, an.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("LoginOf a user without login: %v, want ErrNotFound", err)
	}
}

// testSessions: a session round-trips with its user, is touched, and ends
// alone or with all of its user's.
func testSessions(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	hoa := mustUser(t, c, "u-hoa", "Lê Thị Hoa")
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	h1, h2 := archive.RefOf([]byte("session 1")), archive.RefOf([]byte("session 2"))
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, h := range []archive.Ref{h1, h2} {
			if err := tx.CreateSession(ctx, &archive.Session{TokenHash: h, UserID: hoa.ID, Provider: "password", CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	s, err := c.Session(ctx, h1)
	if err != nil || s.UserID != hoa.ID || s.User.Name != hoa.Name || s.Provider != "password" ||
		!s.CreatedAt.Equal(t0) || !s.LastSeen.Equal(t0) {
		t.Fatalf("Session = %+v, %v", s, err)
	}
	t1 := t0.Add(10 * time.Minute)
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.TouchSession(ctx, h1, t1) }); err != nil {
		t.Fatalf("TouchSession: %v", err)
	}
	if s, err := c.Session(ctx, h1); err != nil || !s.LastSeen.Equal(t1) || !s.CreatedAt.Equal(t0) {
		t.Fatalf("after TouchSession: %+v, %v", s, err)
	}
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.TouchSession(ctx, archive.RefOf([]byte("none")), t1)
	})
	if !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("TouchSession of a missing session: %v, want ErrNotFound", err)
	}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.DeleteSession(ctx, h1) }); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	if _, err := c.Session(ctx, h1); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("deleted session: %v, want ErrNotFound", err)
	}
	var n int
	err = c.Update(ctx, func(tx archive.CatalogTx) (err error) { n, err = tx.DeleteSessions(ctx, hoa.ID); return err })
	if err != nil || n != 1 {
		t.Fatalf("DeleteSessions = %d, %v; want 1", n, err)
	}
	if _, err := c.Session(ctx, h2); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("session after DeleteSessions: %v, want ErrNotFound", err)
	}
	testStaleSessions(t, c, hoa.ID, t0)
}

// testStaleSessions: sessions too old or idle too long are deleted, the
// others kept.
func testStaleSessions(t *testing.T, c archive.Catalog, userID string, t0 time.Time) {
	ctx := context.Background()
	sessions := map[string]archive.Session{
		"old":  {CreatedAt: t0, LastSeen: t0.Add(11 * time.Hour)},
		"idle": {CreatedAt: t0.Add(2 * time.Hour), LastSeen: t0.Add(2 * time.Hour)},
		"live": {CreatedAt: t0.Add(2 * time.Hour), LastSeen: t0.Add(11 * time.Hour)},
	}
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for name, s := range sessions {
			s.TokenHash, s.UserID, s.Provider = archive.RefOf([]byte(name)), userID, "password"
			if err := tx.CreateSession(ctx, &s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	var n int
	err = c.Update(ctx, func(tx archive.CatalogTx) (err error) {
		n, err = tx.DeleteStaleSessions(ctx, t0.Add(time.Hour), t0.Add(10*time.Hour))
		return err
	})
	if err != nil || n != 2 {
		t.Fatalf("DeleteStaleSessions = %d, %v; want 2", n, err)
	}
	if _, err := c.Session(ctx, archive.RefOf([]byte("live"))); err != nil {
		t.Errorf("live session after DeleteStaleSessions: %v", err)
	}
}

// testPasswordLinks: a link is used once, never after it expires.
func testPasswordLinks(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	hoa := mustUser(t, c, "u-hoa", "Lê Thị Hoa")
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	fresh, old := archive.RefOf([]byte("link 1")), archive.RefOf([]byte("link 2"))
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, h := range []archive.Ref{fresh, old} {
			l := &archive.PasswordLink{TokenHash: h, UserID: hoa.ID, CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
			if err := tx.CreatePasswordLink(ctx, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("CreatePasswordLink: %v", err)
	}
	use := func(h archive.Ref, at time.Time) (*archive.PasswordLink, error) {
		var l *archive.PasswordLink
		err := c.Update(ctx, func(tx archive.CatalogTx) (err error) { l, err = tx.UsePasswordLink(ctx, h, at); return err })
		return l, err
	}
	at := t0.Add(time.Hour)
	if l, err := use(fresh, at); err != nil || l.UserID != hoa.ID || !l.UsedAt.Equal(at) {
		t.Fatalf("UsePasswordLink = %+v, %v", l, err)
	}
	if _, err := use(fresh, at.Add(time.Minute)); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("second use: %v, want ErrNotFound", err)
	}
	if _, err := use(old, t0.Add(25*time.Hour)); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("use after expiry: %v, want ErrNotFound", err)
	}
	if l, err := c.PasswordLink(ctx, old); err != nil || !l.UsedAt.IsZero() || !l.ExpiresAt.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("expired link after a refused use = %+v, %v; want unchanged", l, err)
	}
	if _, err := use(archive.RefOf([]byte("none")), at); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("missing link: %v, want ErrNotFound", err)
	}
}

// mustUser creates a clerk of agency BTNMT.
func mustUser(t testing.TB, c archive.Catalog, id, name string) *archive.User {
	t.Helper()
	ctx := context.Background()
	u := &archive.User{ID: id, Name: name, Role: archive.RoleClerk, Agency: "BTNMT"}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateUser(ctx, u, archive.RefOf([]byte(id))) }); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}
