// Package signing applies and checks PAdES signatures on the PDFs khoso produces.
//
// # Signatures
//
// [Signer.Sign] appends one approval signature per call as an incremental update, so a
// clerk's signature followed by the agency's leaves both valid. Each signature is PAdES
// baseline B-T:
//
//   - SubFilter ETSI.CAdES.detached, SHA-256;
//   - CMS signed attributes content-type, message-digest and signing-certificate-v2, and
//     no signing-time attribute (the claimed time is the /M entry of the signature
//     dictionary);
//   - an RFC 3161 signature time-stamp (unsigned attribute id-aa-timeStampToken) over the
//     signature value, from the TSA at [Config.TSAURL].
//
// github.com/digitorus/pdfsign v0.9.0 writes the incremental update (signature field,
// catalog, cross-reference section) but only knows SubFilter adbe.pkcs7.detached, puts a
// signing-time attribute of its own clock in the CMS, and asks the TSA without a timeout.
// So Sign lets pdfsign prepare the update with a throw-away key and a throw-away
// time-stamp from a loopback TSA, then rewrites the signature dictionary in place (same
// byte length, so offsets and the ByteRange stay right), builds the real CMS itself,
// asks the real TSA with a deadline, and writes the CMS into the reserved /Contents.
// Finally it reads the result back with [Verify]: output that does not verify is an
// error, never returned.
//
// # Verification
//
// [Verify] finds every signature by its ByteRange, checks the CMS signature over the
// ranges, the signing certificate chain against the given roots (at the time-stamp's time
// when there is one), the time-stamp token and its TSA certificate, and whether the last
// signature covers the whole file (bytes appended after it are not signed).
//
// # Keys
//
// Production keys come from a PKCS#12 file ([LoadPKCS12]) or any [crypto.Signer] (an HSM
// through PKCS#11). [EnsureDevelopmentIdentity] makes a development CA, agency certificate
// and TSA certificate whose names say they are not for production, and [NewTSA] serves an
// RFC 3161 time-stamp authority for development and tests.
package signing
