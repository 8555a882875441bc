package sqlstore

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/khoso-vn/khoso/archive"
)

// SQLite's primary result code for a full database or disk, and
// PostgreSQL's SQLSTATEs for a full disk and for exhausted memory.
const (
	sqliteFull   = 13
	pgDiskFull   = "53100"
	pgOutOfSpace = "53200"
)

// classifyFull marks err as archive.ErrNoSpace when the database could not
// write because its disk (or memory) is full, so callers retry later
// instead of failing a document for good.
func classifyFull(err error) error {
	if err == nil || errors.Is(err, archive.ErrNoSpace) {
		return err
	}
	var se *sqlite.Error
	var pe *pgconn.PgError
	full := errors.As(err, &se) && se.Code()&0xff == sqliteFull ||
		errors.As(err, &pe) && (pe.Code == pgDiskFull || pe.Code == pgOutOfSpace) ||
		errors.Is(err, syscall.ENOSPC) ||
		strings.Contains(err.Error(), "database or disk is full")
	if full {
		return fmt.Errorf("%w: %w", archive.ErrNoSpace, err)
	}
	return err
}
