package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/khoso-vn/khoso/archive"
	"github.com/khoso-vn/khoso/web"
)

// runUser handles `khoso user add`.
func runUser(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "add" {
		return subcommandUsage("user", args, env)
	}
	fs := newFlagSet("user add", env.Stderr)
	s := serverFlags(fs, env)
	role := fs.String("role", "", "vai trò / role: clerk, handler, citizen, auditor, admin")
	name := fs.String("name", "", "họ tên / the person's name")
	agency := fs.String("agency", "", "mã cơ quan / agency code (clerk, handler)")
	holder := fs.String("holder-id", "", "CCCD hoặc mã số thuế / CCCD or tax code (citizen)")
	var login newLogin
	fs.StringVar(&login.name, "login", "", "tên đăng nhập trên trình duyệt / login name to sign in with in a browser")
	fs.StringVar(&login.passwordFile, "password-file", "", "tệp chứa mật khẩu (với --login); không có thì in đường dẫn dùng một lần / "+
		"file holding the password (with --login); without it a one-time link is printed")
	if _, err := parse(fs, args[1:], env); err != nil {
		return err
	}
	u := &archive.User{ID: archive.NewID("u", time.Now()), Name: *name, Role: archive.Role(*role),
		Agency: *agency, HolderID: *holder}
	if err := checkUser(u); err != nil {
		return err
	}
	if login.passwordFile != "" && login.name == "" {
		return errors.New("--password-file needs --login")
	}
	if login.name != "" {
		if err := login.check(); err != nil {
			return err
		}
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	st, err := existingStorage(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	var link string
	token, err := createUser(ctx, st.catalog, u, func(tx archive.CatalogTx) (err error) {
		if login.name != "" {
			link, err = login.store(ctx, tx, u, time.Now())
		}
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, token)
	fmt.Fprintf(env.Stderr, "đã tạo / created %s %q (%s); mã truy cập chỉ in một lần / the token above is shown once\n", u.Role, u.Name, u.ID)
	if link != "" {
		printLink(env, cmp.Or(s.PublicURL, defaultPublicURL), login.name, link)
	}
	return nil
}

// checkUser refuses a user whose role lacks what it needs.
func checkUser(u *archive.User) error {
	roles := []archive.Role{archive.RoleAdmin, archive.RoleClerk, archive.RoleHandler, archive.RoleCitizen, archive.RoleAuditor}
	switch {
	case !slices.Contains(roles, u.Role):
		return fmt.Errorf("--role %q: vai trò phải là một trong / want one of %v", u.Role, roles)
	case u.Name == "":
		return errors.New("cần --name (họ tên) / --name is required")
	case (u.Role == archive.RoleClerk || u.Role == archive.RoleHandler) && u.Agency == "":
		return fmt.Errorf("vai trò %s cần --agency (mã cơ quan) / a %s needs --agency", u.Role, u.Role)
	case u.Role == archive.RoleCitizen && u.HolderID == "":
		return errors.New("công dân cần --holder-id (CCCD, mã số thuế) / a citizen needs --holder-id")
	}
	return nil
}

// createUser stores u with a new token's hash, then runs each of more in
// the same transaction, and returns the token.
func createUser(ctx context.Context, cat archive.Catalog, u *archive.User, more ...func(archive.CatalogTx) error) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := "khoso_" + base64.RawURLEncoding.EncodeToString(b)
	err := cat.Update(ctx, func(tx archive.CatalogTx) error {
		if err := tx.CreateUser(ctx, u, web.TokenHash(token)); err != nil {
			return err
		}
		for _, f := range more {
			if err := f(tx); err != nil {
				return err
			}
		}
		return nil
	})
	return token, err
}

// runAudit handles `khoso audit verify`.
func runAudit(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] != "verify" {
		return subcommandUsage("audit", args, env)
	}
	fs := newFlagSet("audit verify", env.Stderr)
	s := serverFlags(fs, env)
	if _, err := parse(fs, args[1:], env); err != nil {
		return err
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	return verifyAudit(ctx, s, env)
}
