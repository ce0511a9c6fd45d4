package passletter

import (
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// The page, in millimetres: A4 portrait.
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 20.0
	marginTop    = 16.0
	marginBottom = 12.0
	contentW     = pageW - 2*marginX

	// The code is drawn between qrMinMM and qrMaxMM wide, quiet zone
	// included, aiming at qrModuleMM per module: 0.5 mm and more scans from
	// paper with a phone or a desk scanner. A usual pass of 300 bytes
	// (version 13, 69 modules) gets 0.9 mm, a hand-off pass of 1.5 KB
	// (version 32, 145 modules) 0.65 mm, the largest code (version 40)
	// 0.54 mm.
	qrModuleMM = 0.85
	qrMinMM    = 70.0
	qrMaxMM    = 100.0
)

// pdfWriter draws one letter on one page.
type pdfWriter struct {
	f *fpdf.Fpdf
	y float64
}

// The letter's text is set in the Go fonts (BSD licence, shipped with
// golang.org/x/image), embedded as subsets: unlike the PDF core fonts,
// which know only one code page, they cover the names of most European
// languages (Polish, Czech, Greek, Cyrillic …) as well as German.
const family = "gofont"

func addFonts(f *fpdf.Fpdf) {
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	f.AddUTF8FontFromBytes(family, "I", goitalic.TTF)
}

func (p *pdfWriter) font(style string, size float64) { p.f.SetFont(family, style, size) }

// lines wraps text into at most maxLines lines of at most width mm in the
// current font.
func (p *pdfWriter) lines(text string, width float64, maxLines int) []string {
	return wrap(text, func(s string) bool { return p.f.GetStringWidth(s) <= width }, maxLines)
}

// para writes text at x, wrapped to width, from the current y on; lineH is
// the height of one line.
func (p *pdfWriter) para(x, width, lineH float64, text string, maxLines int) {
	for _, ln := range p.lines(text, width, maxLines) {
		p.f.SetXY(x, p.y)
		p.f.CellFormat(width, lineH, ln, "", 0, "L", false, 0, "")
		p.y += lineH
	}
}

// WritePDF writes the letter as one A4 page: organisation, whom the pass is
// for, "treat this like a password", the QR code with the expiry, the issue
// time, the pass ID, the instance's host and what the pass allows beside it,
// and the steps; in English and German unless the letter asks for one. The
// pass is only in the code, drawn as rectangles.
func WritePDF(w io.Writer, l Letter) error {
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

	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(false, 0) // one page: the layout below is bounded instead
	f.SetCellMargin(0)           // text starts where the code and the box start, and wraps where it is measured
	f.SetCatalogSort(true)
	if !l.Issued.IsZero() {
		// The same letter gives the same bytes (and the test its golden).
		f.SetCreationDate(l.Issued)
		f.SetModificationDate(l.Issued)
	}
	f.SetTitle(english.stepsHead, true)
	f.SetCreator("KeyDesk", true)
	addFonts(f)
	p := &pdfWriter{f: f, y: marginTop}
	f.AddPage()

	if org := clean(l.Organisation); org != "" {
		f.SetTextColor(80, 80, 80)
		p.font("B", 12)
		p.para(marginX, contentW, 6, org, 1)
		p.y += 2
	}

	// Whom the pass is for: the names are cut until the title fits two
	// lines, so no name can push the page over.
	f.SetTextColor(0, 0, 0)
	for i, wd := range langs {
		size, lineH := 15.0, 7.0
		if i > 0 {
			size, lineH = 12.5, 6.0
		}
		p.font("B", size)
		fits := func(s string) bool { return f.GetStringWidth(s) <= contentW }
		p.para(marginX, contentW, lineH, l.titled(wd.title, fits, 2), 2)
		p.y += 1.5
	}
	p.y += 3

	// The warning, boxed, before anything else is read.
	p.font("B", 10.5)
	var warn [][]string
	boxH := 5.0
	for _, wd := range langs {
		ls := p.lines(wd.warning, contentW-10, 4)
		warn = append(warn, ls)
		boxH += float64(len(ls)) * 5
	}
	boxH += float64(len(langs)-1) * 1.5
	f.SetDrawColor(160, 16, 16)
	f.SetFillColor(253, 238, 238)
	f.SetLineWidth(0.7)
	f.Rect(marginX, p.y, contentW, boxH, "FD")
	f.SetTextColor(140, 10, 10)
	top := p.y
	p.y += 2.5
	for i, ls := range warn {
		for _, ln := range ls {
			f.SetXY(marginX+5, p.y)
			f.CellFormat(contentW-10, 5, ln, "", 0, "L", false, 0, "")
			p.y += 5
		}
		if i < len(warn)-1 {
			p.y += 1.5
		}
	}
	p.y = top + boxH + 6

	// The code, and beside it what a person checks before scanning it.
	side := float64(sym.size() + 2*quietZone)
	qrMM := min(max(side*qrModuleMM, qrMinMM), qrMaxMM)
	p.drawQR(sym, marginX, p.y, qrMM)
	qrBottom := p.y + qrMM

	dx := marginX + qrMM + 5
	dw := pageW - marginX - dx
	f.SetTextColor(0, 0, 0)
	field := func(label func(words) string, values []string) {
		if len(values) == 0 {
			return
		}
		f.SetTextColor(90, 90, 90)
		p.font("B", 8.5)
		p.para(dx, dw, 4.2, labels(langs, label), 2)
		f.SetTextColor(0, 0, 0)
		p.font("", 9.5)
		for _, v := range values {
			p.para(dx, dw, 4.8, v, 3)
		}
		p.y += 2.5
	}
	p.y += 3
	each := func(fn func(words) string) []string {
		var out []string
		for _, wd := range langs {
			if s := fn(wd); s != "" && (len(out) == 0 || out[len(out)-1] != s) {
				out = append(out, s)
			}
		}
		return out
	}
	field(func(w words) string { return w.validUntil }, each(func(w words) string { return w.when(l.Expires) }))
	if !l.Issued.IsZero() {
		field(func(w words) string { return w.issued }, each(func(w words) string { return w.when(l.Issued) }))
	}
	if id := clean(l.PassID); id != "" {
		field(func(w words) string { return w.passID }, []string{clip(id, 32)})
	}
	if h := l.host(); h != "" {
		field(func(w words) string { return w.service }, []string{clip(h, 80)})
	}
	if len(l.Operations) > 0 {
		ops := make([]string, len(l.Operations))
		for i, op := range l.Operations {
			ops[i] = clip(clean(op), 30)
		}
		field(func(w words) string { return w.allows }, each(func(w words) string { return w.operations(ops) }))
	}
	p.y = max(p.y, qrBottom) + 6

	// The steps, one column per language.
	gap := 8.0
	colW := (contentW - gap*float64(len(langs)-1)) / float64(len(langs))
	stepsTop := p.y
	bottom := stepsTop
	for i, wd := range langs {
		x := marginX + float64(i)*(colW+gap)
		p.y = stepsTop
		p.font("B", 11)
		p.para(x, colW, 5.5, wd.stepsHead, 2)
		p.y += 1.5
		p.font("", 10)
		for n, step := range wd.steps {
			f.SetXY(x, p.y)
			f.CellFormat(6, 4.8, fmt.Sprintf("%d.", n+1), "", 0, "L", false, 0, "")
			p.para(x+6, colW-6, 4.8, step, 4)
			p.y += 1.2
		}
		p.y += 1.5
		p.font("I", 10)
		p.para(x, colW, 4.8, wd.kiosk, 4)
		bottom = max(bottom, p.y)
	}
	if bottom > pageH-marginBottom {
		// Cannot happen with the bounds above (TestLongNamesStayOnOnePage);
		// a letter cut off at the edge would be worse than none.
		return fmt.Errorf("passletter: the letter does not fit one page (it ends %.0f mm from the top)", bottom)
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("passletter: %w", err)
	}
	return f.Output(w)
}

// drawQR draws the symbol at (x, y), mm wide with its quiet zone, as filled
// rectangles: one per run of dark modules in a row. Each run reaches a
// hair into the row below, so that anti-aliasing leaves no light seam
// between rows.
func (p *pdfWriter) drawQR(s symbol, x, y, mm float64) {
	n := s.size()
	m := mm / float64(n+2*quietZone)
	x0, y0 := x+quietZone*m, y+quietZone*m
	p.f.SetFillColor(255, 255, 255)
	p.f.Rect(x, y, mm, mm, "F")
	p.f.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			if !s.dark(col, row) {
				col++
				continue
			}
			start := col
			for col < n && s.dark(col, row) {
				col++
			}
			h := m
			if row < n-1 {
				h += m / 20
			}
			p.f.Rect(x0+float64(start)*m, y0+float64(row)*m, float64(col-start)*m, h, "F")
		}
	}
}
