package assemble

import (
	"strings"
	"testing"
	"time"
)

func TestJPEGColourSpace(t *testing.T) {
	t.Parallel()
	sof := func(comps byte) []byte {
		b := []byte{0xff, 0xc0, 0, byte(8 + 3*int(comps)), 8, 0, 16, 0, 16, comps}
		for i := range comps {
			b = append(b, i+1, 0x11, 0)
		}
		return b
	}
	adobe := []byte{0xff, 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 2}
	jpeg := func(segs ...[]byte) []byte {
		b := []byte{0xff, 0xd8}
		for _, s := range segs {
			b = append(b, s...)
		}
		return append(b, 0xff, 0xda, 0, 2)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"gray", jpeg(sof(1)), "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter"},
		{"rgb", jpeg(sof(3)), "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter"},
		{"cmyk", jpeg(sof(4)), "/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter"},
		{"adobe cmyk", jpeg(adobe, sof(4)), "/ColorSpace /DeviceCMYK /BitsPerComponent 8 /Decode [1 0 1 0 1 0 1 0] /Filter"},
		{"adobe rgb", jpeg(adobe, sof(3)), "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j, err := planJPEG(tt.data)
			if err != nil {
				t.Fatalf("planJPEG: %v", err)
			}
			if d := j.dict(); !strings.Contains(d, tt.want) || !strings.Contains(d, "/Width 16 /Height 16") {
				t.Errorf("dict = %q, want it to contain %q", d, tt.want)
			}
		})
	}
}

func TestResolution(t *testing.T) {
	t.Parallel()
	tests := []struct {
		x, y, wantX, wantY float64
	}{
		{0, 0, DefaultDPI, DefaultDPI},
		{300, 0, 300, 300},
		{0, 150, 150, 150},
		{300, 200, 300, 200},
	}
	for _, tt := range tests {
		x, y, err := resolution(tt.x, tt.y)
		if err != nil || x != tt.wantX || y != tt.wantY {
			t.Errorf("resolution(%v, %v) = %v, %v, %v; want %v, %v", tt.x, tt.y, x, y, err, tt.wantX, tt.wantY)
		}
	}
}

func TestTextString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Permit 12", "(Permit 12)"},
		{`a(b)\c`, `(a\(b\)\\c)`},
		{"Đức", "<FEFF01101EE90063>"},
		{"line\nbreak", "<FEFF006C0069006E0065000A0062007200650061006B>"},
		{"𝄞", "<FEFFD834DD1E>"},
	}
	for _, tt := range tests {
		if got := textString(tt.in); got != tt.want {
			t.Errorf("textString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPDFDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 3, 4, 9, 30, 5, 0, time.FixedZone("ICT", 7*3600)), "D:20250304093005+07'00'"},
		{time.Date(2025, 3, 4, 9, 30, 5, 0, time.UTC), "D:20250304093005Z"},
		{time.Date(2025, 3, 4, 9, 30, 5, 0, time.FixedZone("", -(3*3600+30*60))), "D:20250304093005-03'30'"},
	}
	for _, tt := range tests {
		if got := pdfDate(tt.t); got != tt.want {
			t.Errorf("pdfDate(%v) = %s, want %s", tt.t, got, tt.want)
		}
	}
}

func TestNum(t *testing.T) {
	t.Parallel()
	for in, want := range map[float64]string{595.44: "595.44", 842.04: "842.04", 72: "72", 1e-7: "0", 1234567.123456: "1234567.1235"} {
		if got := num(in); got != want {
			t.Errorf("num(%v) = %s, want %s", in, got, want)
		}
	}
}
