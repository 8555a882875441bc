package scan

import (
	"bytes"
	"fmt"
	"image"
	"math"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// pdfPages reads a PDF whose pages each show one scanned image, refusing
// more than opt.MaxPages pages before extracting any, and normalises each
// page image: JPEG (DCTDecode) and CCITT G4 images are taken as they are
// stored, without decoding and re-encoding; Flate and uncompressed images
// are decoded.
func pdfPages(data []byte, opt Options, each func(int, *source) error) error {
	ctx, err := readPDF(data)
	if err != nil {
		return err
	}
	if ctx.PageCount > opt.MaxPages {
		return errTooManyPages(ctx.PageCount, opt.MaxPages)
	}
	if ctx.PageCount == 0 {
		return errCorrupt(PDF, fmt.Errorf("scan: pdf: no pages"))
	}
	created := pdfCreationDate(ctx)
	for n := 1; n <= ctx.PageCount; n++ {
		src, err := pdfPage(ctx, n, opt)
		if err != nil {
			return atPage(err, n)
		}
		src.scanned, src.scannedFrom = created, PDF
		if err := each(n, src); err != nil {
			return err
		}
	}
	return nil
}

// readPDF parses the PDF's structure, turning a panic of the parser on
// hostile input into a corrupt-file refusal.
func readPDF(data []byte) (ctx *model.Context, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errCorrupt(PDF, fmt.Errorf("scan: pdf: parser failed: %v", r))
		}
	}()
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	ctx, err = api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		if ctx != nil && ctx.Encrypt != nil {
			return nil, errNotImage(PDF, "tệp được mã hoá hoặc có mật khẩu", "the file is encrypted or password-protected", err)
		}
		return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf: %w", err))
	}
	if ctx.Encrypt != nil {
		return nil, errNotImage(PDF, "tệp được mã hoá hoặc có mật khẩu", "the file is encrypted or password-protected", nil)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf: page tree: %w", err))
	}
	return ctx, nil
}

// pdfImage is the one image XObject of a page and its declared size.
type pdfImage struct {
	sd     *types.StreamDict
	w, h   int
	bpc    int
	colors int // 1 gray, 3 RGB; 0 when the colour space is not supported
}

// pdfPage finds the page's only image and describes it as a source, its
// resolution taken from the image's pixels over the MediaBox, both before
// /Rotate turns them.
func pdfPage(ctx *model.Context, n int, opt Options) (src *source, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errCorrupt(PDF, fmt.Errorf("scan: pdf page %d: parser failed: %v", n, r))
		}
	}()
	_, _, attrs, err := ctx.PageDict(n, false)
	if err != nil || attrs == nil || attrs.MediaBox == nil {
		return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf page %d: %v", n, err))
	}
	img, err := pageImage(ctx, attrs.Resources)
	if err != nil {
		return nil, err
	}
	if err := opt.checkSize(PDF, img.w, img.h); err != nil {
		return nil, err
	}
	mb := attrs.MediaBox
	d := density{}
	if mb.Width() > 0 && mb.Height() > 0 {
		d = density{math.Round(float64(img.w) * 72 / mb.Width()), math.Round(float64(img.h) * 72 / mb.Height())}
	}
	src, err = img.source(ctx, opt)
	if err != nil {
		return nil, err
	}
	src.dpi, src.orientation = d, rotateToOrientation(attrs.Rotate)
	return src, nil
}

// rotateToOrientation maps a page's /Rotate (clockwise degrees) to the
// EXIF orientation that turns its image the same way.
func rotateToOrientation(r int) int {
	switch ((r % 360) + 360) % 360 {
	case 90:
		return orientRotateCW
	case 180:
		return orientRotate180
	case 270:
		return orientRotateCCW
	}
	return orientNormal
}

// pageImage returns the page's one image XObject, refusing a page with
// none, several, or forms and fonts (not an image-only scan).
func pageImage(ctx *model.Context, res types.Dict) (*pdfImage, error) {
	if res == nil {
		return nil, errNoImage(0)
	}
	if fonts, _ := ctx.DereferenceDict(res["Font"]); len(fonts) > 0 {
		return nil, errNotImage(PDF, "trang có chữ, không phải ảnh quét", "the page has text, it is not a scanned image", nil)
	}
	xobjs, err := ctx.DereferenceDict(res["XObject"])
	if err != nil || len(xobjs) != 1 {
		return nil, errNoImage(len(xobjs))
	}
	for _, o := range xobjs {
		sd, _, err := ctx.DereferenceStreamDict(o)
		if err != nil || sd == nil {
			return nil, errCorrupt(PDF, fmt.Errorf("scan: pdf: image object: %v", err))
		}
		if st := sd.Subtype(); st == nil || *st != "Image" {
			return nil, errNoImage(0)
		}
		return describeImage(ctx, sd)
	}
	return nil, errNoImage(0)
}

func errNoImage(n int) error {
	return errNotImage(PDF, fmt.Sprintf("trang có %d ảnh thay vì đúng một ảnh quét", n),
		fmt.Sprintf("the page holds %d images instead of exactly one scanned image", n), nil)
}

// describeImage reads an image XObject's size, depth and colour space.
func describeImage(ctx *model.Context, sd *types.StreamDict) (*pdfImage, error) {
	num := func(key string) int {
		o, err := ctx.DereferenceInteger(sd.Dict[key])
		if err != nil || o == nil {
			return 0
		}
		return o.Value()
	}
	img := &pdfImage{sd: sd, w: num("Width"), h: num("Height"), bpc: num("BitsPerComponent")}
	cs, _ := ctx.Dereference(sd.Dict["ColorSpace"])
	img.colors = colorCount(ctx, cs)
	return img, nil
}

// colorCount returns the components of a device, calibrated or ICC-based
// gray or RGB colour space; 0 for any other (indexed, CMYK, separation).
func colorCount(ctx *model.Context, cs types.Object) int {
	switch v := cs.(type) {
	case types.Name:
		switch v {
		case "DeviceGray", "CalGray":
			return 1
		case "DeviceRGB", "CalRGB":
			return 3
		}
	case types.Array:
		if len(v) < 2 {
			return 0
		}
		if name, ok := v[0].(types.Name); ok && name == "ICCBased" {
			sd, _, err := ctx.DereferenceStreamDict(v[1])
			if err == nil && sd != nil {
				if n := sd.IntEntry("N"); n != nil && (*n == 1 || *n == 3) {
					return *n
				}
			}
			return 0
		}
		if name, ok := v[0].(types.Name); ok && (name == "CalGray" || name == "CalRGB") {
			return colorCount(ctx, name)
		}
	}
	return 0
}

// decodeFunc wraps a decoder with recovery from panics on hostile data.
func decodeFunc(f func() (image.Image, error)) func() (image.Image, error) {
	return func() (img image.Image, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = errCorrupt(PDF, fmt.Errorf("scan: pdf image: %v", r))
			}
		}()
		return f()
	}
}
