package scan

import (
	"bytes"
	"strings"
)

// Format names the encoding of a page image.
type Format string

// The formats of files Pages accepts. JPEG, PNG and G4 are also the
// formats of a normalised Page's Data; TIFF and PDF only hold pages.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	TIFF Format = "tiff"
	PDF  Format = "pdf"
	// G4 is 1-bit CCITT Group 4 data (ITU-T T.6, MSB first), embedded in a
	// PDF as /CCITTFaxDecode with /K -1.
	G4 Format = "ccitt-g4"
)

// label is the format's name as a clerk knows it.
func (f Format) label() string {
	if f == G4 {
		return "CCITT G4"
	}
	return strings.ToUpper(string(f))
}

// magic lists file signatures: the accepted ones, and refused ones named so
// that the clerk learns what was sent.
var magic = []struct {
	prefix string
	format Format // empty when refused
	name   string
}{
	{"\xff\xd8\xff", JPEG, "JPEG"},
	{"\x89PNG\r\n\x1a\n", PNG, "PNG"},
	{"GIF87a", "", "GIF"},
	{"GIF89a", "", "GIF"},
	{"BM", "", "BMP"},
	{"II*\x00", TIFF, "TIFF"},
	{"MM\x00*", TIFF, "TIFF"},
	{"%PDF-", PDF, "PDF"},
	{"II+\x00", "", "BigTIFF"},
	{"MM\x00+", "", "BigTIFF"},
	{"\x00\x00\x00\x0cjP  ", "", "JPEG 2000"},
	{"\xff\x4f\xff\x51", "", "JPEG 2000"},
	{"PK\x03\x04", "", "ZIP"},
}

// detect returns the format of data from its magic bytes, or an *Error.
func detect(data []byte) (Format, error) {
	if len(data) == 0 {
		return "", errEmpty()
	}
	for _, m := range magic {
		if !bytes.HasPrefix(data, []byte(m.prefix)) {
			continue
		}
		if m.format == "" {
			return "", errUnsupportedFormat(m.name)
		}
		return m.format, nil
	}
	if name := detectRIFF(data); name != "" {
		return "", errUnsupportedFormat(name)
	}
	return "", errUnsupportedFormat("")
}

// detectRIFF names WebP and the ISO media formats (HEIC, AVIF) phones send.
func detectRIFF(data []byte) string {
	switch {
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "WebP"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return "HEIC/AVIF"
	}
	return ""
}
