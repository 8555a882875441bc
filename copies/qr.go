package copies

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	qr "github.com/skip2/go-qrcode"

	"github.com/khoso-vn/khoso/archive"
)

// The QR code's payload is one URL, so that a phone opens the verification
// page: PublicURL + "/verify/" + the verification code, then the fields
// TCVN 7322 (Circular 01/2023) asks of a QR code on issued papers, as
// codes, in this order:
//
//	hs   mã hồ sơ / dossier code
//	kq   mã kết quả điện tử / the result's code (archive.Record.ResultCode);
//	     when it is <hs>-KQ<nn>, only KQ<nn>, to keep the payload small:
//	     the result code is then hs + "-" + kq
//	tt   mã thủ tục hành chính / procedure code
//	dd   số định danh chủ hồ sơ / owner's ID
//	ten  tên giấy tờ / document name (shortened to fit)
//	so   số, ký hiệu / number and reference symbol
//	ht   hệ thống cấp / issuing system
//	tg   thời gian cấp / time of issue, UTC, ISO 8601 basic (20260304T021500Z)
//	hl   hiệu lực đến / valid until, yyyymmdd, or 0 for no end
//	pv   phạm vi hiệu lực / validity scope (shortened to fit), when set
//
// Empty fields are left out.
const (
	// qrTargetBytes is the longest payload a version 12 symbol (65
	// modules, 32.5 mm at 0.5 mm a module) holds at error correction M:
	// a name of some 40 Vietnamese letters, percent-encoded, with the other
	// fields. Longer names are shortened to it.
	qrTargetBytes = 287
	// ellipsis ends a shortened name.
	ellipsis = "..."
)

// qrField is one key=value of the payload; short ones may be shortened.
type qrField struct {
	key, value string
	short      bool
}

// qrFields returns the payload's fields for rec and cp.
func (c *Copier) qrFields(rec *archive.Record, cp *archive.Copy) []qrField {
	m := rec.Meta
	validity := "0"
	if !m.ValidUntil.IsZero() {
		validity = m.ValidUntil.Format("20060102")
	}
	return []qrField{{key: "hs", value: m.DossierCode}, {key: "kq", value: qrResultCode(rec)}, {key: "tt", value: m.ProcedureCode}, {key: "dd", value: m.HolderID},
		{key: "ten", value: m.DocName, short: true}, {key: "so", value: m.Number}, {key: "ht", value: c.cfg.SystemName},
		{key: "tg", value: cp.IssuedAt.UTC().Format("20060102T150405Z")}, {key: "hl", value: validity},
		{key: "pv", value: m.ValidityScope, short: true}}
}

// qrResultCode is the kq field of rec: its result code, without the
// dossier code when it starts with hs's.
func qrResultCode(rec *archive.Record) string {
	if d := rec.Meta.DossierCode; d != "" {
		if n, ok := strings.CutPrefix(rec.ResultCode, d+"-"); ok {
			return n
		}
	}
	return rec.ResultCode
}

// verifyURL is the page that shows what was issued under cp's code.
func (c *Copier) verifyURL(cp *archive.Copy) string {
	return strings.TrimRight(c.cfg.PublicURL, "/") + "/verify/" + cp.Code
}

// payload renders the URL with fields, the shortenable ones cut to keep
// runes each (all of them when keep < 0).
func payload(base string, fields []qrField, keep int) string {
	var b strings.Builder
	b.WriteString(base)
	sep := "?"
	for _, f := range fields {
		v := f.value
		if f.short && keep >= 0 && utf8.RuneCountInString(v) > keep {
			v = strings.TrimSpace(string([]rune(v)[:keep])) + ellipsis
			if keep == 0 {
				v = ""
			}
		}
		if v == "" {
			continue
		}
		b.WriteString(sep + f.key + "=" + url.QueryEscape(v))
		sep = "&"
	}
	return b.String()
}

// qrPayloads returns the payloads to try, richest first: every field with
// the name and scope shortened to fit qrTargetBytes; the codes without
// them; the URL alone. A smaller payload makes a smaller symbol, for a
// page with little blank paper.
func (c *Copier) qrPayloads(rec *archive.Record, cp *archive.Copy) []string {
	base, fields := c.verifyURL(cp), c.qrFields(rec, cp)
	full := payload(base, fields, -1)
	if len(full) > qrTargetBytes {
		lo, hi := 0, 0 // the most runes of the long fields that fit
		for _, f := range fields {
			hi = max(hi, utf8.RuneCountInString(f.value))
		}
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if len(payload(base, fields, mid)) <= qrTargetBytes {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		full = payload(base, fields, lo)
	}
	out := []string{full}
	for _, p := range []string{payload(base, fields, 0), base} {
		if p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	return out
}

// qrSymbol encodes text as a QR symbol without its quiet zone, at error
// correction M, or L as a last resort when M cannot hold it.
func qrSymbol(text string) ([][]bool, error) {
	q, err := qr.New(text, qr.Medium)
	if err != nil {
		q, err = qr.New(text, qr.Low)
	}
	if err != nil {
		return nil, fmt.Errorf("copies: mã QR / QR code: %w", err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

func formTitle(form string) string {
	if form == archive.FormTrichSao {
		return "TRÍCH SAO"
	}
	return "SAO Y"
}
