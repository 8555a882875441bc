package signing

import (
	"context"
	"fmt"
)

// AddDocumentTimestamp appends a document time-stamp (ISO 32000-2 12.8.5: /Type
// /DocTimeStamp, SubFilter ETSI.RFC3161) from [Config.TSAURL] over the whole of pdf,
// the archive time-stamp of PAdES B-LTA. The time-stamp exchange is bounded by ctx and
// [Config.TSATimeout]; its failures wrap [ErrTimestamp]. Documents locked by a
// signature accept it. The output is checked: the new time-stamp must be valid,
// trusted by [Config.Roots] and cover the whole file, and every earlier signature must
// verify as before; otherwise the error wraps [ErrDamagedOutput].
func (s *Signer) AddDocumentTimestamp(ctx context.Context, pdf []byte) ([]byte, error) {
	d := Open(pdf)
	if err := s.addDocumentTimestamp(ctx, d); err != nil {
		return nil, fmt.Errorf("signing: add document time-stamp: %w", err)
	}
	return d.Bytes(), nil
}

func (s *Signer) addDocumentTimestamp(ctx context.Context, d *Document) error {
	before, err := d.verified(s.cfg.Roots)
	if err != nil {
		return err
	}
	out, err := s.signInto(ctx, d.pdf, layout{timestamp: true}, func(content []byte) ([]byte, error) {
		return s.ts.stamp(ctx, content)
	})
	if err != nil {
		return err
	}
	after, err := checkOutput(out, before, s.cfg.Roots)
	if err != nil {
		return err
	}
	d.set(out, after, s.cfg.Roots)
	return nil
}

// Archive takes pdf to PAdES B-LTA: [Signer.AddValidationData], then
// [Signer.AddDocumentTimestamp]. The periodic renewal calls it again when
// [NeedsRenewal] says so: each call adds the validation data of the previous
// time-stamp and a new one over everything.
func (s *Signer) Archive(ctx context.Context, pdf []byte) ([]byte, error) {
	d := Open(pdf)
	if err := s.ArchiveDocument(ctx, d); err != nil {
		return nil, err
	}
	return d.Bytes(), nil
}

// ArchiveDocument is [Signer.Archive] on a document signed in steps.
func (s *Signer) ArchiveDocument(ctx context.Context, d *Document) error {
	if err := s.addValidationData(ctx, d); err != nil {
		return fmt.Errorf("signing: add validation data: %w", err)
	}
	if err := s.addDocumentTimestamp(ctx, d); err != nil {
		return fmt.Errorf("signing: add document time-stamp: %w", err)
	}
	return nil
}
