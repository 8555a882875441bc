package archive

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// AuditHash returns the chain hash of e given the previous entry's hash:
// SHA-256 over the previous hash and each field, length-prefixed so no two
// different entries hash alike.
func AuditHash(prevHash string, e *AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{prevHash, strconv.FormatInt(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano),
		e.Actor, string(e.Role), e.Action, e.Object, e.Outcome, e.Detail} {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CheckpointDigest is what a checkpoint of format 1 signs.
func CheckpointDigest(seq int64, hash string) []byte {
	sum := sha256.Sum256([]byte("khoso audit checkpoint|" + strconv.FormatInt(seq, 10) + "|" + hash))
	return sum[:]
}

// Digest returns what c's signature signs: for format 2, SHA-256 of
// "khoso audit checkpoint 2|Seq|Hash|Prev|Time (RFC 3339, UTC)"; for
// format 1, CheckpointDigest(Seq, Hash).
func (c *AuditCheckpoint) Digest() []byte {
	if c.Format < 2 {
		return CheckpointDigest(c.Seq, c.Hash)
	}
	sum := sha256.Sum256([]byte("khoso audit checkpoint 2|" + strconv.FormatInt(c.Seq, 10) + "|" + c.Hash + "|" +
		strconv.FormatInt(c.Prev, 10) + "|" + c.Time.UTC().Format(time.RFC3339Nano)))
	return sum[:]
}

// AnchorName is the name of the anchor that holds the checkpoint at seq;
// names sort in seq order.
func AnchorName(seq int64) string { return fmt.Sprintf("audit-%020d", seq) }

// Auditor appends to the audit log and signs checkpoints: one every Every
// entries, one every Interval (from Run) when entries were added since the
// last, and one on shutdown (Checkpoint). Each checkpoint is time-stamped
// and written to Anchors, outside the catalog.
type Auditor struct {
	Catalog Catalog
	// Sign signs a checkpoint digest with the agency key and returns the
	// signature and the signer's certificate (DER). Required.
	Sign func(digest []byte) (sig, certDER []byte, err error)
	// TimestampFunc, when set, returns an RFC 3161 time-stamp token over
	// data (a checkpoint's signature) from the agency's TSA. When it fails
	// the checkpoint is kept without a token and the error is returned.
	TimestampFunc func(ctx context.Context, data []byte) ([]byte, error)
	// Anchors, when set, receives every checkpoint as an anchor named
	// AnchorName(Seq) holding its JSON.
	Anchors Anchorer
	// Every is how many entries a checkpoint covers; default 100.
	Every int64
	// Interval is how often Run checkpoints the log when entries were
	// added since the last checkpoint; default one minute.
	Interval time.Duration
	// Ticks, when set, replaces Run's Interval ticker (tests drive it).
	Ticks <-chan time.Time
	// Now returns the time; default time.Now.
	Now func() time.Time
}

// Log appends e and, every Every entries, a signed checkpoint.
func (a *Auditor) Log(ctx context.Context, e AuditEvent) error {
	if a.Now != nil {
		e.Time = a.Now()
	}
	err := a.Catalog.Update(ctx, func(tx CatalogTx) error { return tx.AppendAudit(ctx, &e) })
	if err != nil {
		return fmt.Errorf("archive: audit %s: %w", e.Action, err)
	}
	if every := a.every(); e.Seq%every == 0 {
		return a.checkpoint(ctx, e.Seq, e.Hash)
	}
	return nil
}

func (a *Auditor) every() int64 {
	if a.Every <= 0 {
		return 100
	}
	return a.Every
}

func (a *Auditor) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Checkpoint signs the chain up to its last entry, unless that entry is
// already checkpointed (as on shutdown). A multiple of Every left without
// its checkpoint since the last one (its signing failed) is signed first.
func (a *Auditor) Checkpoint(ctx context.Context) error {
	after := int64(0)
	last, err := a.Catalog.LastCheckpoint(ctx)
	switch {
	case err == nil:
		after = last.Seq
	case !errors.Is(err, ErrNotFound):
		return fmt.Errorf("archive: audit checkpoint: %w", err)
	}
	var due []AuditEvent
	err = a.Catalog.AuditEvents(ctx, after, func(e *AuditEvent) error {
		if n := len(due); n > 0 && due[n-1].Seq%a.every() != 0 {
			due = due[:n-1] // not a multiple and no longer the tail
		}
		due = append(due, *e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive: audit checkpoint: %w", err)
	}
	for _, e := range due {
		if err := a.checkpoint(ctx, e.Seq, e.Hash); err != nil {
			return err
		}
	}
	return nil
}

// Run checkpoints every Interval, when entries were added, until ctx is
// done. It first anchors the newest checkpoint, so a log checkpointed
// before anchors existed is anchored too. Errors go to report and do not
// stop it.
func (a *Auditor) Run(ctx context.Context, report func(error)) {
	if err := a.anchorNewest(ctx); err != nil {
		report(err)
	}
	ticks := a.Ticks
	if ticks == nil {
		interval := a.Interval
		if interval <= 0 {
			interval = time.Minute
		}
		t := time.NewTicker(interval)
		defer t.Stop()
		ticks = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if err := a.Checkpoint(context.WithoutCancel(ctx)); err != nil {
				report(err)
			}
		}
	}
}

// anchorNewest writes the newest checkpoint's anchor (harmless when it is
// there already).
func (a *Auditor) anchorNewest(ctx context.Context) error {
	if a.Anchors == nil {
		return nil
	}
	last, err := a.Catalog.LastCheckpoint(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("archive: anchor newest checkpoint: %w", err)
	}
	return a.anchor(ctx, last)
}

// checkpoint signs, time-stamps, records and anchors the chain up to seq,
// unless a checkpoint at or after seq exists.
func (a *Auditor) checkpoint(ctx context.Context, seq int64, hash string) error {
	c := &AuditCheckpoint{Format: 2, Seq: seq, Hash: hash, Time: a.now().UTC()}
	last, err := a.Catalog.LastCheckpoint(ctx)
	switch {
	case err == nil && last.Seq >= seq:
		return nil
	case err == nil:
		c.Prev = last.Seq
	case !errors.Is(err, ErrNotFound):
		return fmt.Errorf("archive: audit checkpoint %d: %w", seq, err)
	}
	if c.Signature, c.Certificate, err = a.Sign(c.Digest()); err != nil {
		return fmt.Errorf("archive: sign audit checkpoint %d: %w", seq, err)
	}
	var tsErr error
	if a.TimestampFunc != nil {
		if c.Timestamp, tsErr = a.TimestampFunc(ctx, c.Signature); tsErr != nil {
			tsErr = fmt.Errorf("archive: time-stamp audit checkpoint %d: %w", seq, tsErr)
		}
	}
	err = a.Catalog.Update(ctx, func(tx CatalogTx) error { return tx.AddCheckpoint(ctx, c) })
	if errors.Is(err, ErrConflict) {
		return tsErr // another process checkpointed seq meanwhile
	}
	if err != nil {
		return fmt.Errorf("archive: audit checkpoint %d: %w", seq, err)
	}
	return errors.Join(tsErr, a.anchor(ctx, c))
}

// anchor writes c to Anchors.
func (a *Auditor) anchor(ctx context.Context, c *AuditCheckpoint) error {
	if a.Anchors == nil {
		return nil
	}
	data, err := json.Marshal(c)
	if err == nil {
		err = a.Anchors.PutAnchor(ctx, AnchorName(c.Seq), data)
	}
	if err != nil {
		return fmt.Errorf("archive: anchor audit checkpoint %d: %w", c.Seq, err)
	}
	return nil
}
