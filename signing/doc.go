// Package signing applies and checks PAdES signatures on the PDFs khoso produces.
//
// # Signatures
//
// [Signer.SignWith] appends one signature per call as an incremental update. Each is
// PAdES baseline B-T:
//
//   - SubFilter ETSI.CAdES.detached; RSA keys sign with RSASSA-PSS, ECDSA keys with
//     ECDSA (P-256 with SHA-256, P-384 with SHA-384); RSA under 2048 bits, other curves
//     and SHA-1 are refused (Circular 15/2025, [ErrAlgorithm]);
//   - CMS signed attributes content-type, message-digest and signing-certificate-v2, and
//     no signing-time attribute (the claimed time is the /M entry of the signature
//     dictionary);
//   - an RFC 3161 signature time-stamp (unsigned attribute id-aa-timeStampToken) over the
//     signature value, from the TSA at [Config.TSAURL], asked with a deadline.
//
// A digitised result gets two: the scanning clerk's certification signature
// ([SignOptions.Certify], DocMDP permission 2: later signatures allowed), then the
// agency's approval signature that locks the document ([SignOptions.Lock]: a signature
// field lock with /Action /All and /P 1, which still allows validation data and
// document time-stamps). Visible text ([SignOptions.Visible]) is drawn by signing/stamp
// into the signature's widget appearance, never into the page content, so that a later
// signature changes no page but page 1's /Annots, which lists every widget, invisible
// ones and document time-stamps' too; the verifier counts a widget listed by the
// update that adds its signature as part of that signature.
//
// The package writes the incremental update itself (signature field and widget,
// catalog with /AcroForm, /Perms and /DSS, a cross-reference table, or a stream when
// the document ends with one), reserves /Contents, builds the CMS and writes it in.
// The room reserved is measured: the largest CMS (or token) the Signer has built, a
// first one over a probe, plus a quarter, at least 2 KiB; a CMS that still does not
// fit is built again in a layout with room for it.
// github.com/digitorus/pdfsign v0.9.0, used before, wrote no /Perms for certification
// signatures and no DSS, and could write damaged files (DEPS.md). Every output is read
// back with [Verify] before it is returned: output that does not verify, or an update
// that changes what an earlier signature signed, is an error wrapping
// [ErrDamagedOutput], never returned.
//
// # Long-term validation
//
// [Signer.AddValidationData] adds a Document Security Store with the certificates of
// every signature and time-stamp, the OCSP responses of the responders they name and
// the CRLs their distribution points serve, and a VRI entry per signature keyed by the
// SHA-1 of its /Contents (B-LT);
// [Signer.AddDocumentTimestamp] adds an ETSI.RFC3161 document time-stamp over
// everything (B-LTA); [Signer.Archive] does both. [NeedsRenewal] tells the periodic job
// when the newest time-stamp's TSA certificate or algorithms ([AlgorithmLifetimes])
// near their end, so that it calls Archive again.
//
// # Verification
//
// [Verify] finds every signature by its ByteRange, checks the CMS signature over the
// ranges (RSASSA-PSS, PKCS#1 v1.5 and ECDSA), the signing certificate chain against the
// given roots (at the time-stamp's time when there is one), the time-stamp token and its
// TSA certificate, document time-stamps, the CRLs of the DSS, and reports the PAdES
// level reached, saying when revocation data is missing ([LevelBLTANoRevocation]).
// It then reads each incremental update after the first signature, once, and judges
// what it replaced against the revision before it ([Change]); each signature's
// permissions judge the updates after it: after a lock (DocMDP or FieldMDP P 1) only
// validation data and document time-stamps are allowed, after a certification with
// P 2 also signing and form fill-in, with P 3 also annotations; Info and XMP changes
// are allowed only after a signature that sets no permission; a replaced page, page
// tree, content stream, image or catalog entry never is. A file whose byte ranges or
// updates cannot be read is [Report.Damaged], never valid, and Verify does not panic
// on it. [Report.Text] renders it in Vietnamese and English.
//
// # Keys
//
// Production keys come from a PKCS#12 file ([LoadPKCS12]), a PKCS#11 token
// ([OpenPKCS11], the key never leaves the token and signatures are serialised), or any
// [crypto.Signer]. [EnsureDevelopmentIdentity] makes a development CA, agency
// certificate and TSA certificate whose names say they are not for production,
// [IssueDevelopmentPerson] a clerk's certificate, [NewRevocationServer] serves the CA's
// CRL and OCSP responder (the URLs [DevConfig.RevocationURL] bakes into its
// certificates) and [NewTSA] an RFC 3161 time-stamp authority, for development and
// tests. [signingtest] reads signatures and the DSS independently, for tests.
package signing
