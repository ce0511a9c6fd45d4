package passletter

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	qr "github.com/piglig/go-qr"
)

// quietZone is the light border, in modules, that ISO/IEC 18004 requires
// around a QR symbol so that a scanner finds its edges.
const quietZone = 4

// errTooLong is returned when a pass does not fit the largest QR symbol
// (version 40) at error correction level M: about 2,300 bytes.
var errTooLong = errors.New("passletter: the pass is too long for a QR code")

// symbol is a pass encoded as a QR code: a square of modules, dark or light,
// without its quiet zone.
type symbol struct{ code *qr.QrCode }

// encode makes the QR symbol of a pass at error correction level M (15 % of
// the symbol may be lost: a crease, a smudge), raised to Q or H where that
// fits the same size. The pass goes in as text in QR's most compact mode for
// it (byte mode once it has a lower-case letter), without an ECI header:
// passes are ASCII (client/pass), which every scanner reads alike. The error
// never repeats the pass.
func encode(pass string) (symbol, error) {
	if pass == "" {
		return symbol{}, errors.New("passletter: no pass to encode")
	}
	c, err := qr.EncodeText(pass, qr.Medium)
	if err != nil {
		if errors.Is(err, qr.ErrDataTooLong) {
			return symbol{}, fmt.Errorf("%w (%d bytes)", errTooLong, len(pass))
		}
		return symbol{}, errors.New("passletter: the pass cannot be encoded as a QR code")
	}
	return symbol{code: c}, nil
}

// size is the side of the symbol in modules, without the quiet zone.
func (s symbol) size() int { return s.code.Size() }

// dark reports whether the module at (x, y) of the symbol is dark.
func (s symbol) dark(x, y int) bool { return s.code.Module(x, y) }

// QR returns the pass as a QR code image px by px pixels, quiet zone
// included. Each module is a whole number of pixels, so that no module is
// blurred; the code is centred and the remainder is light. It fails when the
// pass does not fit a QR code, or when px leaves less than one pixel for each
// module.
func QR(pass string, px int) (image.Image, error) {
	s, err := encode(pass)
	if err != nil {
		return nil, err
	}
	return s.image(px)
}

// image draws the symbol px by px pixels with its quiet zone.
func (s symbol) image(px int) (*image.Gray, error) {
	side := s.size() + 2*quietZone
	scale := px / side
	if scale < 1 {
		return nil, fmt.Errorf("passletter: %d pixels are too few for a QR code of %d modules", px, side)
	}
	img := image.NewGray(image.Rect(0, 0, px, px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	off := (px - s.size()*scale) / 2
	for y := 0; y < s.size(); y++ {
		for x := 0; x < s.size(); x++ {
			if !s.dark(x, y) {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				for dx := 0; dx < scale; dx++ {
					img.SetGray(off+x*scale+dx, off+y*scale+dy, color.Gray{})
				}
			}
		}
	}
	return img, nil
}
