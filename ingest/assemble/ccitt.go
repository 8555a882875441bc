package assemble

import (
	"fmt"
	"io"
)

// ccittImage is 1-bit CCITT Group 4 data embedded as-is.
type ccittImage struct {
	data     []byte
	w, h     int
	blackIs1 bool
}

func (c *ccittImage) size() (int, int) { return c.w, c.h }

func (c *ccittImage) dict() string {
	return fmt.Sprintf("/Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode "+
		"/DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 %t >>", c.w, c.h, c.w, c.h, c.blackIs1)
}

func (c *ccittImage) writeData(w io.Writer) error {
	_, err := w.Write(c.data)
	return err
}

// planG4 checks a G4 page: its dimensions must be given, since Group 4
// data does not state them.
func planG4(p Page) (*ccittImage, error) {
	if p.Width <= 0 || p.Height <= 0 || len(p.Data) == 0 {
		return nil, fmt.Errorf("%w: G4 page of %dx%d pixels with %d bytes: width, height and data are required",
			ErrInvalidPage, p.Width, p.Height, len(p.Data))
	}
	return &ccittImage{data: p.Data, w: p.Width, h: p.Height, blackIs1: p.BlackIs1}, nil
}
