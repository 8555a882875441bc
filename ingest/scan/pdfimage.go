package scan

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/ccitt"
)

// source describes a page image by its filter: DCT and G4 data are kept.
func (img *pdfImage) source(ctx *model.Context, opt Options) (*source, error) {
	var name string
	var parms types.Dict
	switch fp := img.sd.FilterPipeline; len(fp) {
	case 0:
	case 1:
		name, parms = fp[0].Name, fp[0].DecodeParms
	default:
		return nil, errFilter(fmt.Sprint(fp))
	}
	switch name {
	case "DCTDecode":
		return jpegSource(img.sd.Raw, opt)
	case "CCITTFaxDecode":
		return img.ccittSource(parms)
	case "", "FlateDecode":
		if !(img.bpc == 8 && img.colors > 0) && !(img.bpc == 1 && img.colors == 1) {
			return nil, errNotImage(PDF, fmt.Sprintf("ảnh %d bit với không gian màu này không được hỗ trợ", img.bpc),
				fmt.Sprintf("a %d-bit image in this colour space is not supported", img.bpc), nil)
		}
		src := &source{w: img.w, h: img.h, color: ColorRGB, bilevel: img.bpc == 1}
		switch {
		case src.bilevel:
			src.color = ColorBilevel
		case img.colors == 1:
			src.color = ColorGray
		}
		src.decode = decodeFunc(func() (image.Image, error) { return img.decodeSamples(name != "", parms) })
		return src, nil
	}
	return nil, errFilter(name)
}

func errFilter(name string) error {
	return errNotImage(PDF, "ảnh nén bằng "+name+" không được hỗ trợ", "images compressed with "+name+" are not supported", nil)
}

// ccittSource keeps Group 4 data as it is; Group 3 and byte-aligned data
// are decoded, to be re-encoded as Group 4.
func (img *pdfImage) ccittSource(parms types.Dict) (*source, error) {
	k, cols := intOr(parms, "K", 0), intOr(parms, "Columns", 1728)
	blackIs1 := boolOr(parms, "BlackIs1") != decodeInverted(img.sd.Dict)
	if cols != img.w {
		return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf: CCITT /Columns %d, image /Width %d", cols, img.w))
	}
	sf, align := ccitt.Group4, boolOr(parms, "EncodedByteAlign")
	if k >= 0 {
		sf = ccitt.Group3
	}
	raw := img.sd.Raw
	src := &source{w: img.w, h: img.h, color: ColorBilevel, bilevel: true}
	src.decode = decodeFunc(func() (image.Image, error) {
		dst := image.NewGray(image.Rect(0, 0, img.w, img.h))
		err := ccitt.DecodeIntoGray(dst, bytes.NewReader(raw), ccitt.MSB, sf, &ccitt.Options{Align: align, Invert: blackIs1})
		if err != nil {
			return nil, errCorrupt(G4, fmt.Errorf("scan: pdf: decode CCITT: %w", err))
		}
		return dst, nil
	})
	if k < 0 && !align {
		src.format, src.data, src.blackIs1 = G4, raw, blackIs1
	}
	return src, nil
}

// decodeInverted reports a /Decode [1 0] array (inverted samples).
func decodeInverted(d types.Dict) bool {
	a := d.ArrayEntry("Decode")
	if len(a) < 2 {
		return false
	}
	lo, ok := a[0].(types.Integer)
	return ok && lo.Value() == 1
}

func intOr(d types.Dict, key string, def int) int {
	if d == nil {
		return def
	}
	if v := d.IntEntry(key); v != nil {
		return *v
	}
	return def
}

func boolOr(d types.Dict, key string) bool {
	if d == nil {
		return false
	}
	v := d.BooleanEntry(key)
	return v != nil && *v
}

// decodeSamples inflates (when flate) the image's samples, reading no
// more than the image can hold, undoes PNG predictors, and builds an
// *image.Gray (0 black, 255 white for 1-bit) or *image.RGBA.
func (img *pdfImage) decodeSamples(flate bool, parms types.Dict) (image.Image, error) {
	rowBytes := (img.w*img.colors*img.bpc + 7) / 8
	pred := intOr(parms, "Predictor", 1)
	stride := rowBytes
	if pred >= 10 {
		stride++
	} else if pred != 1 {
		return nil, errNotImage(PDF, fmt.Sprintf("bộ dự đoán %d không được hỗ trợ", pred), fmt.Sprintf("predictor %d is not supported", pred), nil)
	}
	var r io.Reader = bytes.NewReader(img.sd.Raw)
	if flate {
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf: inflate: %w", err))
		}
		r = zr
	}
	buf := make([]byte, stride*img.h)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf: image data: %w", err))
	}
	if pred >= 10 {
		if err := unfilterPNG(buf, stride, max(1, img.colors*img.bpc/8)); err != nil {
			return nil, err
		}
	}
	return img.toImage(buf, stride, pred >= 10)
}

// toImage builds the image from unfiltered rows of stride bytes, skipping
// each row's filter byte when filtered.
func (img *pdfImage) toImage(buf []byte, stride int, filtered bool) (image.Image, error) {
	skip := 0
	if filtered {
		skip = 1
	}
	inv := decodeInverted(img.sd.Dict)
	if img.colors == 3 {
		dst := image.NewRGBA(image.Rect(0, 0, img.w, img.h))
		for y := range img.h {
			row, out := buf[y*stride+skip:], dst.Pix[y*dst.Stride:]
			for x := range img.w {
				out[4*x], out[4*x+1], out[4*x+2], out[4*x+3] = row[3*x], row[3*x+1], row[3*x+2], 255
			}
		}
		return dst, nil
	}
	dst := image.NewGray(image.Rect(0, 0, img.w, img.h))
	for y := range img.h {
		row, out := buf[y*stride+skip:], dst.Pix[y*dst.Stride:y*dst.Stride+img.w]
		for x := range out {
			v := row[x]
			if img.bpc == 1 {
				v = 255 * (row[x/8] >> (7 - x%8) & 1)
			}
			if inv {
				v = 255 - v
			}
			out[x] = v
		}
	}
	return dst, nil
}

// unfilterPNG undoes PNG row filters in place; bpp is the bytes a pixel.
func unfilterPNG(buf []byte, stride, bpp int) error {
	prev := make([]byte, stride-1)
	for y := 0; y+stride <= len(buf); y += stride {
		f, row := buf[y], buf[y+1:y+stride]
		for i := range row {
			var a, c byte
			if i >= bpp {
				a, c = row[i-bpp], prev[i-bpp]
			}
			b := prev[i]
			switch f {
			case 0:
			case 1:
				row[i] += a
			case 2:
				row[i] += b
			case 3:
				row[i] += byte((int(a) + int(b)) / 2)
			case 4:
				row[i] += paeth(a, b, c)
			default:
				return errCorrupt(PDF, fmt.Errorf("scan: pdf: PNG filter %d", f))
			}
		}
		prev = row
	}
	return nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
