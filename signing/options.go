package signing

import (
	"errors"
	"fmt"
)

// ErrLocked reports a document whose signatures forbid another signature: a
// certification signature with DocMDP permission 1, or a signature that locked the
// document ([SignOptions.Lock]). Validation data and document time-stamps may still be
// added.
var ErrLocked = errors.New("document is locked against further signatures")

// DocMDP permissions of a certification signature (ISO 32000-2, 12.8.2.2). Adding
// validation data (a DSS) and document time-stamps is allowed under all three.
const (
	DocMDPNoChanges       = 1 // no changes
	DocMDPFillAndSign     = 2 // filling in forms and signing
	DocMDPAnnotateAndSign = 3 // as 2, plus annotations
)

// SignOptions are the choices of one signature.
type SignOptions struct {
	// Visible shows text in a box on page 1; nil makes an invisible signature.
	Visible *VisibleText
	// Certify makes a certification signature (DocMDP): it must be the document's first
	// signature, and DocMDPPerm says what later changes it permits. Default: an approval
	// signature.
	Certify bool
	// DocMDPPerm is the permission of a certification signature: DocMDPNoChanges,
	// DocMDPFillAndSign or DocMDPAnnotateAndSign. Default DocMDPFillAndSign (later
	// signatures allowed). Ignored unless Certify.
	DocMDPPerm int
	// Lock locks the document with this signature (PDF 2.0 signature field lock /Action
	// /All /P 1): no further signatures or changes, only validation data and document
	// time-stamps. Use it on the last signature.
	Lock bool
	// Reason is the signature dictionary's /Reason. Default [Config.Reason].
	Reason string
}

// layout returns the layout of a signature made with opts.
func (s *Signer) layout(opts SignOptions) (layout, error) {
	l := layout{entries: s.dictionaryEntries(opts), lock: opts.Lock, visible: opts.Visible} // reserve: signInto
	if opts.Certify {
		l.docMDP = opts.DocMDPPerm
		if l.docMDP == 0 {
			l.docMDP = DocMDPFillAndSign
		}
		if l.docMDP < DocMDPNoChanges || l.docMDP > DocMDPAnnotateAndSign {
			return l, fmt.Errorf("options: DocMDPPerm %d is not 1, 2 or 3", opts.DocMDPPerm)
		}
	}
	if opts.Visible != nil && len(opts.Visible.Lines) == 0 {
		return l, errors.New("options: Visible has no Lines")
	}
	return l, nil
}

// checkMaySign reports whether the document described by r accepts another signature.
func checkMaySign(r *Report, certify bool) error {
	signatures := 0
	for i, s := range r.Signatures {
		if s.DocumentTimestamp {
			continue
		}
		signatures++
		switch {
		case s.DocMDP == DocMDPNoChanges:
			return fmt.Errorf("%w: signature %d certifies it with no changes allowed", ErrLocked, i+1)
		case s.Locked:
			return fmt.Errorf("%w: signature %d locked it", ErrLocked, i+1)
		}
	}
	if certify && signatures > 0 {
		return errors.New("options: a certification signature must be the first signature")
	}
	return nil
}
