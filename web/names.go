package web

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/khoso-vn/khoso/archive"
)

// foldASCII removes Vietnamese marks: "Số 12/GP-ĐKT" → "So 12/GP-DKT".
func foldASCII(s string) string {
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c == 'đ':
			b.WriteRune('d')
		case c == 'Đ':
			b.WriteRune('D')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// fileStem turns a document number into a file name: "123/GP-BTNMT" →
// "123-GP-BTNMT".
func fileStem(number, fallback string) string {
	s := strings.Map(func(c rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, c) || unicode.IsControl(c) {
			return '-'
		}
		return c
	}, strings.TrimSpace(number))
	s = strings.Trim(s, "-.")
	if s == "" {
		return fallback
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return s
}

// recordFile is the file name of a record's signed PDF: its number.
func recordFile(rec *archive.Record) string { return fileStem(rec.Meta.Number, rec.ID) + ".pdf" }

// copyFile is the file name of a copy: the number, the form, the code.
func copyFile(rec *archive.Record, cp *archive.Copy) string {
	form := "sao-y"
	if cp.Form == archive.FormTrichSao {
		form = "trich-sao"
	}
	return fileStem(rec.Meta.Number, rec.ID) + "-" + form + "-" + cp.Code + ".pdf"
}
