// Package signingtest reads what a signed PDF carries — each signature's CMS and
// signed bytes, and the Document Security Store — independently of package signing,
// for tests that check signing's output with other tools (openssl, pdfsig).
package signingtest

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/digitorus/pdf"
)

// Signature is one signature or document time-stamp as its /ByteRange shows it.
type Signature struct {
	// CMS is the DER CMS (a time-stamp token for a document time-stamp), without the
	// zero padding of /Contents.
	CMS []byte
	// Signed is the bytes the /ByteRange covers.
	Signed []byte
	// VRIKey is the upper-case hex SHA-1 of the /Contents string's bytes, padding
	// included: the key of its DSS VRI entry.
	VRIKey string
	// DocumentTimestamp is true for SubFilter ETSI.RFC3161.
	DocumentTimestamp bool
}

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// Signatures returns every signature of data in file order.
func Signatures(data []byte) ([]Signature, error) {
	var out []Signature
	for _, m := range byteRangeRE.FindAllSubmatchIndex(data, -1) {
		var br [4]int
		for i := range br {
			br[i], _ = strconv.Atoi(string(data[m[2+2*i]:m[3+2*i]]))
		}
		if br[0] != 0 || br[1] >= br[2] || br[2]+br[3] > len(data) || data[br[1]] != '<' || data[br[2]-1] != '>' {
			return nil, fmt.Errorf("signingtest: ByteRange %v does not fit", br)
		}
		raw, err := hex.DecodeString(string(data[br[1]+1 : br[2]-1]))
		if err != nil {
			return nil, fmt.Errorf("signingtest: /Contents: %w", err)
		}
		var rv asn1.RawValue
		if _, err := asn1.Unmarshal(raw, &rv); err != nil {
			return nil, fmt.Errorf("signingtest: /Contents is not DER: %w", err)
		}
		sum := sha1.Sum(raw)
		dict := data[max(0, m[0]-600):min(len(data), br[2]+600)]
		out = append(out, Signature{
			CMS:               rv.FullBytes,
			Signed:            append(append([]byte(nil), data[:br[1]]...), data[br[2]:br[2]+br[3]]...),
			VRIKey:            strings.ToUpper(hex.EncodeToString(sum[:])),
			DocumentTimestamp: bytes.Contains(dict, []byte("/ETSI.RFC3161")),
		})
	}
	return out, nil
}

// DSS is the Document Security Store of a PDF: its streams, decoded.
type DSS struct {
	Certs, CRLs, OCSPs [][]byte
	// VRI maps each VRI key to its entry.
	VRI map[string]VRI
}

// VRI is one signature's validation data.
type VRI struct {
	Certs, CRLs, OCSPs [][]byte
}

// ReadDSS returns the DSS of data, or an error when it has none.
func ReadDSS(data []byte) (d *DSS, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("signingtest: reading PDF: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("signingtest: %w", err)
	}
	v := r.Trailer().Key("Root").Key("DSS")
	if v.Kind() != pdf.Dict {
		return nil, fmt.Errorf("signingtest: the catalog has no /DSS")
	}
	d = &DSS{VRI: map[string]VRI{}}
	if d.Certs, err = streams(v.Key("Certs")); err != nil {
		return nil, err
	}
	if d.CRLs, err = streams(v.Key("CRLs")); err != nil {
		return nil, err
	}
	if d.OCSPs, err = streams(v.Key("OCSPs")); err != nil {
		return nil, err
	}
	vri := v.Key("VRI")
	for _, k := range vri.Keys() {
		e := vri.Key(k)
		var entry VRI
		for _, f := range []struct {
			key string
			dst *[][]byte
		}{{"Cert", &entry.Certs}, {"CRL", &entry.CRLs}, {"OCSP", &entry.OCSPs}} {
			if *f.dst, err = streams(e.Key(f.key)); err != nil {
				return nil, err
			}
		}
		d.VRI[k] = entry
	}
	return d, nil
}

func streams(arr pdf.Value) ([][]byte, error) {
	var out [][]byte
	for i := range arr.Len() {
		rc := arr.Index(i).Reader()
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("signingtest: DSS stream: %w", err)
		}
		out = append(out, data)
	}
	return out, nil
}

// MinimalPDF is a one-page PDF showing text in Helvetica, written by hand
// with a classic cross-reference table: the smallest input a signer takes.
func MinimalPDF(text string) []byte {
	content := "BT /F1 24 Tf 72 720 Td (" + text + ") Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
