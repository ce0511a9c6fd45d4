package passletter

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The PNG: the QR code on top, a caption below it. Sizes in pixels.
const (
	pngMinWidth  = 640
	pngQRPixels  = 520 // the code is at least this wide, quiet zone included
	pngMargin    = 24
	pngNameSize  = 22
	pngTextSize  = 17
	pngLineSpace = 1.35
)

var (
	warningRed = color.RGBA{0xa0, 0x10, 0x10, 0xff}
	textBlack  = color.Gray{0x10}
)

// The Go fonts (BSD licence, shipped with golang.org/x/image) cover Latin-1
// and more, so German words and most names print as written.
var (
	fontsOnce           sync.Once
	regularTTF, boldTTF *opentype.Font
	fontsErr            error
)

func fonts() (*opentype.Font, *opentype.Font, error) {
	fontsOnce.Do(func() {
		regularTTF, fontsErr = opentype.Parse(goregular.TTF)
		if fontsErr == nil {
			boldTTF, fontsErr = opentype.Parse(gobold.TTF)
		}
	})
	return regularTTF, boldTTF, fontsErr
}

// captionLine is one line of the caption, already wrapped.
type captionLine struct {
	text string
	face font.Face
	col  color.Color
}

// WritePNG writes the pass as a PNG: the QR code and a caption with the
// person's name, the expiry, the pass ID and "treat this like a password",
// in the letter's language(s). The pass is only in the code.
func WritePNG(w io.Writer, l Letter) error {
	if err := l.check(); err != nil {
		return err
	}
	langs, err := languages(l.Lang)
	if err != nil {
		return err
	}
	sym, err := encode(l.Pass)
	if err != nil {
		return err
	}
	side := sym.size() + 2*quietZone
	scale := max(3, (pngQRPixels+side-1)/side)
	qrPx := side * scale
	width := max(pngMinWidth, qrPx)
	code, err := sym.image(qrPx)
	if err != nil {
		return err
	}

	regular, bold, err := fonts()
	if err != nil {
		return err
	}
	nameFace, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: pngNameSize, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	defer nameFace.Close()
	textFace, err := opentype.NewFace(regular, &opentype.FaceOptions{Size: pngTextSize, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	defer textFace.Close()
	warnFace, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: pngTextSize, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	defer warnFace.Close()

	textWidth := width - 2*pngMargin
	var lines []captionLine
	add := func(text string, face font.Face, col color.Color, maxLines int) {
		for _, t := range wrapPixels(text, face, textWidth, maxLines) {
			lines = append(lines, captionLine{t, face, col})
		}
	}
	nameFits := func(s string) bool { return font.MeasureString(nameFace, s).Ceil() <= textWidth }
	add(l.titled("%s", nameFits, 2), nameFace, textBlack, 2)
	for _, w := range langs {
		add(w.validUntil+": "+w.when(l.Expires), textFace, textBlack, 2)
	}
	if id := clean(l.PassID); id != "" {
		add(labels(langs, func(w words) string { return w.passID })+": "+clip(id, 32), textFace, textBlack, 1)
	}
	for _, w := range langs {
		add(w.warning, warnFace, warningRed, 4)
	}

	lineHeight := func(f font.Face) int { return int(float64(f.Metrics().Height.Ceil()) * pngLineSpace) }
	height := qrPx + pngMargin
	for _, ln := range lines {
		height += lineHeight(ln.face)
	}
	height += pngMargin

	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect((width-qrPx)/2, 0, (width-qrPx)/2+qrPx, qrPx), code, image.Point{}, draw.Src)
	y := qrPx
	for _, ln := range lines {
		y += lineHeight(ln.face)
		d := font.Drawer{Dst: img, Src: image.NewUniform(ln.col), Face: ln.face,
			Dot: fixed.P(pngMargin, y-ln.face.Metrics().Descent.Ceil())}
		d.DrawString(ln.text)
	}
	return png.Encode(w, img)
}

// labels joins one label in every language of the letter: "Pass ID / Pass-ID".
func labels(langs []words, label func(words) string) string {
	var out []string
	for _, w := range langs {
		out = append(out, label(w))
	}
	return strings.Join(out, " / ")
}

// wrapPixels breaks text into lines no wider than width pixels in face, at
// spaces where it can and inside a word where a word alone is too wide; past
// maxLines the last line ends in an ellipsis.
func wrapPixels(text string, face font.Face, width, maxLines int) []string {
	fits := func(s string) bool { return font.MeasureString(face, s).Ceil() <= width }
	return wrap(text, fits, maxLines)
}

// wrap breaks text into lines that fits accepts (see wrapPixels).
func wrap(text string, fits func(string) bool, maxLines int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(text) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if fits(try) {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		// A word wider than a line (a long username) is broken where it must.
		cur = ""
		for _, r := range word {
			if cur != "" && !fits(cur+string(r)) {
				lines = append(lines, cur)
				cur = ""
			}
			cur += string(r)
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > maxLines {
		last := []rune(lines[maxLines-1])
		for len(last) > 0 && !fits(string(last)+"…") {
			last = last[:len(last)-1]
		}
		lines = append(lines[:maxLines-1], strings.TrimSpace(string(last))+"…")
	}
	return lines
}
