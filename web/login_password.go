package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/khoso-vn/khoso/archive"
)

// argon2id parameters of new hashes (OWASP's first choice: 19 MiB, two
// passes, one lane). Stored hashes carry their own, so raising these later
// leaves old passwords working.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the fewest characters a password may have.
const MinPasswordLength = 10

var (
	errBadLogin = archive.NewError(archive.ErrUnauthorized, "Tên đăng nhập hoặc mật khẩu không đúng",
		"wrong login name or password")
	errPasswordShort = archive.NewError(archive.ErrInvalid, fmt.Sprintf("Mật khẩu phải có ít nhất %d ký tự", MinPasswordLength),
		fmt.Sprintf("the password must have at least %d characters", MinPasswordLength))
	errPasswordIsLogin = archive.NewError(archive.ErrInvalid, "Mật khẩu không được giống tên đăng nhập",
		"the password must not be the login name")
	errLoginName = archive.NewError(archive.ErrInvalid, "Tên đăng nhập gồm 1 đến 64 ký tự, không có khoảng trắng",
		"a login name has 1 to 64 characters and no spaces")
)

// NormalizeLogin is how login names are compared and stored: trimmed and
// lower-cased.
func NormalizeLogin(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// CheckLogin refuses a login name (normalised) that is empty, too long or
// holds spaces.
func CheckLogin(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 64 || strings.ContainsAny(name, " \t\r\n") {
		return errLoginName
	}
	return nil
}

// CheckPassword refuses a new password that is shorter than
// MinPasswordLength or is the login name.
func CheckPassword(login, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return errPasswordShort
	}
	if strings.EqualFold(strings.TrimSpace(password), login) {
		return errPasswordIsLogin
	}
	return nil
}

// HashPassword returns password's argon2id hash as a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH (unpadded base64).
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches encoded, a hash from
// HashPassword. An encoded string it cannot read is an error.
func VerifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	var version int
	var m uint32
	var t uint32
	var p uint8
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("web: password hash is not argon2id")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("web: password hash version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, fmt.Errorf("web: password hash parameters %q", parts[3])
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errors.New("web: password hash is not base64")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against for unknown logins and logins without a
// password, so they take as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword(rand.Text())
	if err != nil {
		panic(err)
	}
	return h
})

// passwordProvider signs people in with the login names and password
// hashes of the catalog.
type passwordProvider struct{ cat archive.LoginReader }

// Name implements IdentityProvider.
func (passwordProvider) Name() string { return "password" }

// Authenticate implements IdentityProvider.
func (p passwordProvider) Authenticate(ctx context.Context, c Credentials) (*archive.User, error) {
	l, err := p.cat.Login(ctx, c.Login)
	if err != nil && !errors.Is(err, archive.ErrNotFound) {
		return nil, err
	}
	if err != nil || l.PasswordHash == "" || l.User.Disabled() {
		VerifyPassword(dummyHash(), c.Password)
		return nil, errBadLogin
	}
	ok, err := VerifyPassword(l.PasswordHash, c.Password)
	if err != nil {
		return nil, fmt.Errorf("web: login %q: %w", c.Login, err)
	}
	if !ok {
		return nil, errBadLogin
	}
	return &l.User, nil
}
