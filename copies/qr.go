package copies

import (
	"fmt"
	"image"
	"strings"

	qr "github.com/skip2/go-qrcode"

	"github.com/khoso-vn/khoso/archive"
)

// qrPayload is the QR code's text (TCVN 7322): dossier code, procedure
// code, owner ID, document name, issuing system, time of issue, validity,
// and the verification code, one per line.
func (c *Copier) qrPayload(rec *archive.Record, cp *archive.Copy) string {
	m := rec.Meta
	validity := "không thời hạn / no end"
	if !m.ValidUntil.IsZero() {
		validity = "đến/until " + m.ValidUntil.Format("02/01/2006")
	}
	if m.ValidityScope != "" {
		validity += "; " + m.ValidityScope
	}
	return strings.Join([]string{
		"Mã hồ sơ: " + m.DossierCode,
		"Mã TTHC: " + m.ProcedureCode,
		"Số định danh: " + m.HolderID,
		"Tên giấy tờ: " + m.DocName + " " + m.Number,
		"Hệ thống: " + c.cfg.SystemName,
		"Thời gian cấp: " + cp.IssuedAt.Format("02/01/2006 15:04:05 -07:00"),
		"Hiệu lực: " + validity,
		"Mã xác thực: " + cp.Code,
	}, "\n")
}

func formTitle(form string) string {
	if form == archive.FormTrichSao {
		return "TRÍCH SAO"
	}
	return "SAO Y"
}

func qrGray(text string) (*image.Gray, error) {
	q, err := qr.New(text, qr.Medium)
	if err != nil {
		return nil, fmt.Errorf("copies: QR code: %w", err)
	}
	bm := q.Bitmap()
	g := image.NewGray(image.Rect(0, 0, len(bm), len(bm)))
	for y, row := range bm {
		for x, black := range row {
			if !black {
				g.Pix[y*g.Stride+x] = 255
			}
		}
	}
	return g, nil
}
