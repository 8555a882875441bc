package web

import (
	"context"
	"sync"
	"time"

	"github.com/khoso-vn/khoso/archive"
)

// auditStatusTTL is how long the audit screen shows one verification of
// the chain before it verifies again: the whole log is read each time.
const auditStatusTTL = time.Minute

// auditStatus is the chain's verification as the audit screen shows it.
type auditStatus struct {
	Configured bool // the server was given a way to verify
	Report     *archive.AuditReport
	Err        string // why it could not be verified, for the screen
	At         time.Time
}

// auditChecker verifies the chain at most once per auditStatusTTL; a
// request that finds a check running waits for it rather than starting
// another.
type auditChecker struct {
	verify func(ctx context.Context) (*archive.AuditReport, error)
	now    func() time.Time
	mu     sync.Mutex
	last   *auditStatus
}

// status returns the last verification, or verifies now when it is older
// than auditStatusTTL.
func (c *auditChecker) status(ctx context.Context) auditStatus {
	if c.verify == nil {
		return auditStatus{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != nil && c.now().Sub(c.last.At) < auditStatusTTL {
		return *c.last
	}
	st := &auditStatus{Configured: true, At: c.now()}
	rep, err := c.verify(ctx)
	if err != nil {
		if ctx.Err() != nil {
			st.Err = "quá thời gian / timed out"
			return *st // not kept: the next request tries again
		}
		st.Err = err.Error()
	}
	st.Report = rep
	c.last = st
	return *st
}
