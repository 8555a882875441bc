package archivetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// testUserAdmin: users are listed with their logins, filtered and paged,
// changed and disabled; a disabled user comes back disabled from every
// read that carries a user.
func testUserAdmin(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	users := []*archive.User{
		{ID: "u-1", Name: "Quản trị", Role: archive.RoleAdmin, CreatedAt: t0},
		{ID: "u-2", Name: "Lê Thị Hoa", Role: archive.RoleClerk, Agency: "BTNMT", CreatedAt: t0.Add(time.Minute)},
		{ID: "u-3", Name: "Trần Văn An", Role: archive.RoleHandler, Agency: "BTNMT", CreatedAt: t0.Add(2 * time.Minute)},
		{ID: "u-4", Name: "Nguyễn Văn Đức", Role: archive.RoleCitizen, HolderID: "001088012345", CreatedAt: t0.Add(3 * time.Minute)},
	}
	h := archive.RefOf([]byte("token of u-2"))
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		for _, u := range users {
			hash := archive.Ref("")
			if u.ID == "u-2" {
				hash = h
			}
			if err := tx.CreateUser(ctx, u, hash); err != nil {
				return err
			}
		}
		return tx.PutLogin(ctx, &archive.Login{UserID: "u-2", Name: "hoa", PasswordHash: "$argon2id$x", PasswordAt: t0})
	})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	all, err := c.Users(ctx, archive.UserFilter{})
	if err != nil || len(all) != 4 || all[0].ID != "u-1" || all[3].ID != "u-4" {
		t.Fatalf("Users() = %+v, %v; want the 4 users oldest first", all, err)
	}
	if all[1].Login != "hoa" || !all[1].PasswordSet || all[0].Login != "" || all[0].PasswordSet {
		t.Errorf("Users() logins: %+v", all)
	}
	if got, err := c.Users(ctx, archive.UserFilter{Agency: "BTNMT", Role: archive.RoleHandler}); err != nil || len(got) != 1 || got[0].ID != "u-3" {
		t.Errorf("Users(handlers of BTNMT) = %+v, %v", got, err)
	}
	if got, err := c.Users(ctx, archive.UserFilter{Limit: 2, Offset: 2}); err != nil || len(got) != 2 || got[0].ID != "u-3" {
		t.Errorf("Users(page 2 of 2) = %+v, %v", got, err)
	}
	if _, err := c.User(ctx, "u-missing"); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("User(missing): %v, want ErrNotFound", err)
	}
	u, err := c.User(ctx, "u-3")
	if err != nil || u.Name != "Trần Văn An" || !u.CreatedAt.Equal(t0.Add(2*time.Minute)) || u.Disabled() {
		t.Fatalf("User = %+v, %v", u, err)
	}
	u.Role, u.Agency = archive.RoleClerk, "UBND-HN"
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateUser(ctx, u) }); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	if got, err := c.User(ctx, "u-3"); err != nil || got.Role != archive.RoleClerk || got.Agency != "UBND-HN" {
		t.Errorf("User after UpdateUser = %+v, %v", got, err)
	}
	err = c.Update(ctx, func(tx archive.CatalogTx) error { return tx.UpdateUser(ctx, &archive.User{ID: "u-missing"}) })
	if !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("UpdateUser(missing): %v, want ErrNotFound", err)
	}

	// disabling shows in every read that carries the user
	hoa, err := c.User(ctx, "u-2")
	if err != nil {
		t.Fatal(err)
	}
	off := t0.Add(time.Hour)
	hoa.DisabledAt = off
	err = c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateSession(ctx, &archive.Session{TokenHash: archive.RefOf([]byte("s")), UserID: "u-2", Provider: "password", CreatedAt: t0}); err != nil {
			return err
		}
		return tx.UpdateUser(ctx, hoa)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.UserByToken(ctx, h); err != nil || !got.DisabledAt.Equal(off) {
		t.Errorf("UserByToken of a disabled user = %+v, %v; want DisabledAt %v", got, err, off)
	}
	if s, err := c.Session(ctx, archive.RefOf([]byte("s"))); err != nil || !s.User.DisabledAt.Equal(off) || s.UserID != "u-2" {
		t.Errorf("Session of a disabled user = %+v, %v", s, err)
	}
	if l, err := c.Login(ctx, "hoa"); err != nil || !l.User.Disabled() || l.UserID != "u-2" || l.User.Agency != "BTNMT" {
		t.Errorf("Login of a disabled user = %+v, %v", l, err)
	}
	if got, err := c.Users(ctx, archive.UserFilter{Role: archive.RoleClerk}); err != nil || len(got) != 2 || !got[0].Disabled() || got[1].Disabled() {
		t.Errorf("Users(clerks) = %+v, %v; want u-2 disabled, u-3 not", got, err)
	}
}

// testTokens: a user holds several named tokens, each found by its hash
// until revoked; the first token made with the user is one of them.
func testTokens(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	first := archive.RefOf([]byte("first"))
	u := &archive.User{ID: "u-k", Name: "Máy quét", Role: archive.RoleClerk, Agency: "BTNMT", CreatedAt: t0}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateUser(ctx, u, first) }); err != nil {
		t.Fatal(err)
	}
	second := &archive.Token{ID: "t-2", UserID: u.ID, Name: "script quét <hàng đêm>", Hash: archive.RefOf([]byte("second")), CreatedAt: t0.Add(time.Minute)}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateToken(ctx, second) }); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	for _, bad := range []struct {
		tok  archive.Token
		want error
	}{
		{archive.Token{ID: "t-3", UserID: "u-missing", Name: "x", Hash: archive.RefOf([]byte("third"))}, archive.ErrNotFound},
		{archive.Token{ID: "t-4", UserID: u.ID, Name: "x", Hash: second.Hash}, archive.ErrConflict},
	} {
		err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateToken(ctx, &bad.tok) })
		if !errors.Is(err, bad.want) {
			t.Errorf("CreateToken(%+v): %v, want %v", bad.tok, err, bad.want)
		}
	}
	list, err := c.Tokens(ctx, u.ID)
	if err != nil || len(list) != 2 || list[0].Name != archive.DefaultTokenName || list[1].ID != "t-2" || list[1].Name != second.Name {
		t.Fatalf("Tokens = %+v, %v", list, err)
	}
	for _, h := range []archive.Ref{first, second.Hash} {
		if got, err := c.UserByToken(ctx, h); err != nil || got.ID != u.ID {
			t.Errorf("UserByToken(%s) = %+v, %v", h, got, err)
		}
	}
	used := t0.Add(2 * time.Minute)
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.TouchToken(ctx, "t-2", used) }); err != nil {
		t.Fatalf("TouchToken: %v", err)
	}
	tok, err := c.TokenByHash(ctx, second.Hash)
	if err != nil || tok.ID != "t-2" || !tok.LastUsed.Equal(used) || tok.User.Name != u.Name || tok.Revoked() {
		t.Fatalf("TokenByHash = %+v, %v", tok, err)
	}
	revoked := t0.Add(3 * time.Minute)
	for _, at := range []time.Time{revoked, revoked.Add(time.Hour)} {
		if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.RevokeToken(ctx, "t-2", at) }); err != nil {
			t.Fatalf("RevokeToken: %v", err)
		}
	}
	if _, err := c.UserByToken(ctx, second.Hash); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("UserByToken(revoked): %v, want ErrNotFound", err)
	}
	if got, err := c.Token(ctx, "t-2"); err != nil || !got.RevokedAt.Equal(revoked) || got.UserID != u.ID {
		t.Errorf("Token(revoked twice) = %+v, %v; want the first revocation time", got, err)
	}
	if got, err := c.UserByToken(ctx, first); err != nil || got.ID != u.ID {
		t.Errorf("the other token after a revocation: %+v, %v", got, err)
	}
	for _, op := range []func(tx archive.CatalogTx) error{
		func(tx archive.CatalogTx) error { return tx.RevokeToken(ctx, "t-missing", revoked) },
		func(tx archive.CatalogTx) error { return tx.TouchToken(ctx, "t-missing", revoked) },
	} {
		if err := c.Update(ctx, op); !errors.Is(err, archive.ErrNotFound) {
			t.Errorf("a missing token: %v, want ErrNotFound", err)
		}
	}
	if _, err := c.Token(ctx, "t-missing"); !errors.Is(err, archive.ErrNotFound) {
		t.Errorf("Token(missing): %v, want ErrNotFound", err)
	}
	none := &archive.User{ID: "u-none", Name: "Không mã", Role: archive.RoleAuditor}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.CreateUser(ctx, none, "") }); err != nil {
		t.Fatalf("CreateUser without a token: %v", err)
	}
	if list, err := c.Tokens(ctx, none.ID); err != nil || len(list) != 0 {
		t.Errorf("Tokens of a user made without one = %+v, %v", list, err)
	}
}

// testAgencies: registered agencies and the codes users and records carry
// are listed together, with counts; renaming keeps the creation time.
func testAgencies(t *testing.T, c archive.Catalog) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	mustCreate(t, c, "ag", 3)           // records of BTNMT
	mustUser(t, c, "u-a", "Lê Thị Hoa") // a clerk of BTNMT
	err := c.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateUser(ctx, &archive.User{ID: "u-b", Name: "B", Role: archive.RoleHandler, Agency: "UBND-HN"}, ""); err != nil {
			return err
		}
		return tx.PutAgency(ctx, &archive.Agency{Code: "UBND-HN", NameVi: "UBND Hà Nội", CreatedAt: t0})
	})
	if err != nil {
		t.Fatalf("PutAgency: %v", err)
	}
	renamed := &archive.Agency{Code: "UBND-HN", NameVi: "Ủy ban nhân dân thành phố Hà Nội", NameEn: "Hanoi People's Committee", CreatedAt: t0.Add(time.Hour)}
	if err := c.Update(ctx, func(tx archive.CatalogTx) error { return tx.PutAgency(ctx, renamed) }); err != nil {
		t.Fatalf("PutAgency(rename): %v", err)
	}
	if !renamed.CreatedAt.Equal(t0) {
		t.Errorf("a renamed agency's CreatedAt = %v, want %v", renamed.CreatedAt, t0)
	}
	list, err := c.Agencies(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("Agencies = %+v, %v; want BTNMT and UBND-HN", list, err)
	}
	if a := list[0]; a.Code != "BTNMT" || a.Named || a.Users != 1 || a.Records != 3 {
		t.Errorf("Agencies[0] = %+v, want BTNMT unnamed with 1 user and 3 records", a)
	}
	if a := list[1]; a.Code != "UBND-HN" || !a.Named || a.NameVi != renamed.NameVi || a.NameEn != renamed.NameEn ||
		!a.CreatedAt.Equal(t0) || a.Users != 1 || a.Records != 0 {
		t.Errorf("Agencies[1] = %+v", a)
	}
	counts, err := c.StatusCounts(ctx)
	if err != nil || counts[archive.StatusReceived] != 3 || len(counts) != 1 {
		t.Errorf("StatusCounts = %v, %v; want 3 received", counts, err)
	}
}
