package assemble

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
)

// Info is the document information dictionary. Empty fields and a zero
// Created are left out.
type Info struct {
	Title, Subject, Author, Keywords, Creator string
	Created                                   time.Time // written as /CreationDate with its UTC offset
}

// info writes the Info dictionary object.
func (p *pdfWriter) info(in Info) {
	p.begin(objInfo)
	p.printf("<<")
	for _, f := range []struct{ key, val string }{
		{"Title", in.Title}, {"Subject", in.Subject}, {"Author", in.Author},
		{"Keywords", in.Keywords}, {"Creator", in.Creator},
	} {
		if f.val != "" {
			p.printf(" /%s %s", f.key, textString(f.val))
		}
	}
	if !in.Created.IsZero() {
		p.printf(" /CreationDate %s", textString(pdfDate(in.Created)))
	}
	p.printf(" >>\n")
	p.end()
}

// textString encodes s as a PDF text string: a literal string when s is
// printable ASCII, else UTF-16BE with a byte order mark, in hex.
func textString(s string) string {
	if isPrintableASCII(s) {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return "(" + r.Replace(s) + ")"
	}
	units := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(units))
	b[0], b[1] = 0xfe, 0xff
	for _, u := range units {
		b = append(b, byte(u>>8), byte(u))
	}
	return "<" + strings.ToUpper(hex.EncodeToString(b)) + ">"
}

func isPrintableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// pdfDate formats t as a PDF date, D:YYYYMMDDHHmmSS+HH'mm' (Z for UTC).
func pdfDate(t time.Time) string {
	d := t.Format("D:20060102150405")
	_, off := t.Zone()
	if off == 0 {
		return d + "Z"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d'%02d'", d, sign, off/3600, off%3600/60)
}
