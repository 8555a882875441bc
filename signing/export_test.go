package signing

import "crypto/x509"

// CheckOutput runs the check Sign makes on out, signed from in, for the external tests.
func CheckOutput(out, in []byte, roots *x509.CertPool) error {
	before, err := verify(in, roots)
	if err != nil {
		return err
	}
	return checkOutput(out, before, roots)
}
