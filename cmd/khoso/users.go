package main

import (
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
	if _, err := parse(fs, args[1:], env); err != nil {
		return err
	}
	u := &archive.User{ID: archive.NewID("u", time.Now()), Name: *name, Role: archive.Role(*role),
		Agency: *agency, HolderID: *holder}
	if err := checkUser(u); err != nil {
		return err
	}
	if err := s.fromEnv(env); err != nil {
		return err
	}
	st, err := existingStorage(ctx, s)
	if err != nil {
		return err
	}
	defer st.Close()
	token, err := createUser(ctx, st.catalog, u)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, token)
	fmt.Fprintf(env.Stderr, "đã tạo / created %s %q (%s); mã truy cập chỉ in một lần / the token above is shown once\n", u.Role, u.Name, u.ID)
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

// createUser stores u with a new token's hash and returns the token.
func createUser(ctx context.Context, cat archive.Catalog, u *archive.User) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := "khoso_" + base64.RawURLEncoding.EncodeToString(b)
	err := cat.Update(ctx, func(tx archive.CatalogTx) error {
		return tx.CreateUser(ctx, u, web.TokenHash(token))
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
