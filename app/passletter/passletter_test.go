package passletter

import (
	"bytes"
	"compress/zlib"
	"errors"
	"flag"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var (
	update      = flag.Bool("update", false, "rewrite the golden pdftotext output under testdata/")
	screenshots = flag.String("screenshots", "", "write a rendered page of the pass letter (pass-letter.png) to this folder")
)

// cet is a fixed zone, so that the test needs no time zone database.
var cet = time.FixedZone("CET", 3600)

// fakePass is a pass-shaped secret of n bytes: "KDP1." and base64url
// characters from a fixed seed, so that no 12-character piece of it occurs
// by chance in the letter's words.
func fakePass(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	r := rand.New(rand.NewPCG(uint64(n), 14))
	b := []byte("KDP1.")
	for len(b) < n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

func letter(pass string) Letter {
	return Letter{
		Organisation: "Example Corp — IT Service Desk",
		Username:     "jürgen.müller@example.com",
		DisplayName:  "Jürgen Müller",
		Instance:     "https://example-tenant.mauth.eu/some/path?x=1",
		Operations:   []string{"enroll", "approve"},
		Issued:       time.Date(2026, 12, 7, 14, 30, 0, 0, cet),
		Expires:      time.Date(2026, 12, 10, 14, 30, 0, 0, cet),
		PassID:       "K7Q2-XR4M",
		Pass:         pass,
	}
}

// decodeQR reads the one QR code in img with ZXing's Go port, an
// implementation independent of the encoder.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_TRY_HARDER: true,
	})
	if err != nil {
		t.Fatalf("no QR code decoded: %v", err)
	}
	return res.GetText()
}

func TestQRRoundTrip(t *testing.T) {
	for _, n := range []int{100, 400, 1500} {
		pass := fakePass(n)
		img, err := QR(pass, 1000)
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 1000 {
			t.Errorf("%d bytes: image is %v, want 1000×1000", n, b)
		}
		if got := decodeQR(t, img); got != pass {
			t.Errorf("%d bytes: decoded %d bytes, not the pass", n, len(got))
		}
	}
}

func TestQRRefusesWhatCannotBeScanned(t *testing.T) {
	long := fakePass(3000)
	_, err := QR(long, 2000)
	if !errors.Is(err, errTooLong) {
		t.Fatalf("a pass of 3000 bytes: err = %v, want errTooLong", err)
	}
	if strings.Contains(err.Error(), long[5:17]) {
		t.Error("the error repeats the pass")
	}
	if _, err := QR(fakePass(400), 40); err == nil {
		t.Error("40 pixels for a code of more than 40 modules: no error")
	}
	if _, err := QR("", 400); err == nil {
		t.Error("an empty pass: no error")
	}
	l := letter(long)
	if err := WritePDF(&bytes.Buffer{}, l); !errors.Is(err, errTooLong) {
		t.Errorf("WritePDF of a pass of 3000 bytes: err = %v, want errTooLong", err)
	}
	if err := WritePNG(&bytes.Buffer{}, l); !errors.Is(err, errTooLong) {
		t.Errorf("WritePNG of a pass of 3000 bytes: err = %v, want errTooLong", err)
	}
}

func TestLetterIsChecked(t *testing.T) {
	for name, change := range map[string]func(*Letter){
		"no pass":              func(l *Letter) { l.Pass = "" },
		"no username":          func(l *Letter) { l.Username = " " },
		"no expiry":            func(l *Letter) { l.Expires = time.Time{} },
		"expires before issue": func(l *Letter) { l.Expires = l.Issued.Add(-time.Hour) },
		"unknown language":     func(l *Letter) { l.Lang = "fr" },
	} {
		l := letter(fakePass(300))
		change(&l)
		var pdf, pngOut bytes.Buffer
		if err := WritePDF(&pdf, l); err == nil || pdf.Len() != 0 {
			t.Errorf("%s: WritePDF err = %v, %d bytes written", name, err, pdf.Len())
		}
		if err := WritePNG(&pngOut, l); err == nil || pngOut.Len() != 0 {
			t.Errorf("%s: WritePNG err = %v, %d bytes written", name, err, pngOut.Len())
		}
	}
}

func TestPNGRoundTrip(t *testing.T) {
	for _, n := range []int{300, 1500} {
		pass := fakePass(n)
		var buf bytes.Buffer
		if err := WritePNG(&buf, letter(pass)); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeQR(t, img); got != pass {
			t.Errorf("%d bytes: the PNG's code is not the pass", n)
		}
		// The caption is below the code: the lower part of the image has ink.
		b := img.Bounds()
		if b.Dy() <= b.Dx() || !hasInk(img, image.Rect(b.Min.X, b.Max.Y-b.Dy()/5, b.Max.X, b.Max.Y)) {
			t.Errorf("%d bytes: no caption below the code (image %v)", n, b)
		}
	}
}

func hasInk(img image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c, _, _, _ := img.At(x, y).RGBA(); c < 0x8000 {
				return true
			}
		}
	}
	return false
}

// needTool fails the test when a poppler tool is missing: `make deps` and
// .ci/run install poppler-utils.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install poppler-utils (make deps)", name)
	}
}

// writePDF writes the letter to a file in a test folder.
func writePDF(t *testing.T, l Letter) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, l); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// render rasterises the first page with poppler, as a printer driver or a
// viewer would, and returns the image.
func render(t *testing.T, pdf string, dpi string) image.Image {
	t.Helper()
	needTool(t, "pdftoppm")
	out := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command("pdftoppm", "-r", dpi, "-png", "-singlefile", pdf, out).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, b)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func pdfText(t *testing.T, pdf string, args ...string) string {
	t.Helper()
	needTool(t, "pdftotext")
	b, err := exec.Command("pdftotext", append(append(args, "-enc", "UTF-8"), pdf, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(b)
}

func pages(t *testing.T, pdf string) string {
	t.Helper()
	needTool(t, "pdfinfo")
	b, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count: %s", b)
	}
	return string(m[1])
}

// TestPrintedLetterScans proves the point of the letter: the page as a
// printer gets it, at 150 dpi, still carries the pass in its code, for a
// usual pass, a live hand-off's (1.5 KB) and the largest a code holds.
func TestPrintedLetterScans(t *testing.T) {
	for _, n := range []int{300, 1500, 2300} {
		pass := fakePass(n)
		pdf := writePDF(t, letter(pass))
		if got := decodeQR(t, render(t, pdf, "150")); got != pass {
			t.Errorf("%d bytes: the printed code is not the pass", n)
		}
		if p := pages(t, pdf); p != "1" {
			t.Errorf("%d bytes: %s pages, want 1", n, p)
		}
	}
}

// words collapses runs of white space, so that a phrase wrapped across
// lines is found as one.
func words1(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestLetterSaysWhatAPersonNeeds(t *testing.T) {
	pass := fakePass(300)
	text := words1(pdfText(t, writePDF(t, letter(pass))))
	for _, want := range []string{
		"Example Corp — IT Service Desk",
		"Security key enrollment pass for Jürgen Müller (jürgen.müller@example.com)",
		"Pass zur Registrierung eines Sicherheitsschlüssels für Jürgen Müller (jürgen.müller@example.com)",
		"Treat this like a password: anyone holding this pass can enroll a key for you. Destroy it after use.",
		"Behandeln Sie diesen Pass wie ein Passwort: Wer ihn besitzt, kann einen Schlüssel für Sie registrieren. Vernichten Sie ihn nach Gebrauch.",
		"10 December 2026, 14:30 CET (UTC+01:00)",
		"10. Dezember 2026, 14:30 Uhr CET (UTC+01:00)",
		"7 December 2026, 14:30 CET (UTC+01:00)",
		"K7Q2-XR4M",
		"example-tenant.mauth.eu",
		"Open KeyDesk on your computer.",
		"Choose “Enroll with a pass”.",
		"Scan this code with a barcode scanner, or open the pass file you received.",
		"touch the key when asked.",
		"At a kiosk: scan this code at the kiosk instead of typing your username",
		"Öffnen Sie KeyDesk auf Ihrem Computer.",
		"Wählen Sie „Mit einem Pass registrieren“.",
		"berühren Sie den Schlüssel",
		"An einem Kiosk: Scannen Sie diesen Code am Kiosk",
		"enrolling a security key, a test sign-in",
		"Registrieren eines Sicherheitsschlüssels, eine Testanmeldung",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter does not say %q", want)
		}
	}
	for _, never := range []string{"/some/path", "https://"} {
		if strings.Contains(text, never) {
			t.Errorf("the letter shows %q: the instance is shown as host only", never)
		}
	}
	path := writePDF(t, letter(pass))
	assertNoPass(t, pdfText(t, path), pass)
	// Nor is it anywhere in the file: not in its bytes, not in any of its
	// streams (page contents, fonts, metadata) once inflated.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assertNoPass(t, string(raw), pass)
	streams := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(raw, -1)
	if len(streams) < 3 {
		t.Fatalf("%d streams in the PDF", len(streams))
	}
	inflated := 0
	for _, m := range streams {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue // not deflated: already checked as raw bytes
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("a stream does not inflate: %v", err)
		}
		assertNoPass(t, string(plain), pass)
		inflated++
	}
	if inflated == 0 {
		t.Error("no stream of the PDF inflated: the page's contents were not checked")
	}
}

// assertNoPass fails when text holds the pass or any 12 characters of it.
func assertNoPass(t *testing.T, text, pass string) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), "")
	for i := 0; i+12 <= len(pass); i++ {
		if strings.Contains(text, pass[i:i+12]) || strings.Contains(flat, pass[i:i+12]) {
			t.Fatalf("the letter holds 12 characters of the pass (at %d)", i)
		}
	}
}

func TestLetterInOneLanguage(t *testing.T) {
	l := letter(fakePass(300))
	l.Lang = "de"
	de := words1(pdfText(t, writePDF(t, l)))
	if !strings.Contains(de, german.warning) || strings.Contains(de, english.warning) || strings.Contains(de, "December") {
		t.Errorf("a German letter: %q", de)
	}
	l.Lang = "en"
	en := words1(pdfText(t, writePDF(t, l)))
	if !strings.Contains(en, english.warning) || strings.Contains(en, german.warning) || strings.Contains(en, "Dezember") {
		t.Errorf("an English letter: %q", en)
	}
}

func TestLongNamesStayOnOnePage(t *testing.T) {
	pass := fakePass(1500)
	l := letter(pass)
	l.DisplayName = strings.Repeat("Maximiliane-Östergård ", 14)[:300]
	l.Username = strings.Repeat("x", 200) + "@example.com"
	l.Organisation = strings.Repeat("Gemeinnützige Organisation ", 10)
	l.PassID = strings.Repeat("P", 100)
	l.Operations = []string{"enroll", "approve", strings.Repeat("z", 200)}
	pdf := writePDF(t, l)
	if p := pages(t, pdf); p != "1" {
		t.Errorf("%s pages, want 1", p)
	}
	if got := decodeQR(t, render(t, pdf, "150")); got != pass {
		t.Error("with long names the printed code is not the pass")
	}
	// Nothing is printed past the page's edge: every word pdftotext finds
	// lies inside the page with its margins (-bbox gives the positions, in
	// points).
	bbox := pdfText(t, pdf, "-bbox")
	re := regexp.MustCompile(`xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"`)
	ms := re.FindAllStringSubmatch(bbox, -1)
	if len(ms) < 50 {
		t.Fatalf("pdftotext -bbox found %d words", len(ms))
	}
	const mm = 72 / 25.4
	for _, m := range ms {
		var v [4]float64
		for i := range v {
			v[i] = mustFloat(t, m[i+1])
		}
		if v[0] < marginX*mm-1 || v[2] > (pageW-marginX)*mm+1 || v[1] < marginTop*mm-1 || v[3] > (pageH-marginBottom)*mm+1 {
			t.Errorf("a word at %v pt lies outside the margins", v)
		}
	}
	// The name is cut, and says so.
	if text := words1(pdfText(t, pdf)); !strings.Contains(text, "…") {
		t.Error("a name of 300 characters is printed without a mark that it was cut")
	}
	var buf bytes.Buffer
	if err := WritePNG(&buf, l); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeQR(t, img); got != pass {
		t.Error("with long names the PNG's code is not the pass")
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLetterGolden pins the letter's words: what pdftotext reads from the
// page (in layout mode) is testdata/letter.txt; `go test -update` rewrites
// it. The letter's times and the PDF's dates are fixed, so it is stable.
func TestLetterGolden(t *testing.T) {
	pdf := writePDF(t, letter(fakePass(300)))
	got := pdfText(t, pdf, "-layout")
	golden := filepath.Join("testdata", "letter.txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("pdftotext of the letter differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
	// The same letter gives the same bytes.
	var a, b bytes.Buffer
	l := letter(fakePass(300))
	if err := WritePDF(&a, l); err != nil {
		t.Fatal(err)
	}
	if err := WritePDF(&b, l); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same letter written twice gives different bytes")
	}
}

// TestScreenshots renders the letter as a person sees it on screen and,
// with -screenshots=DIR (make screenshots), saves it as pass-letter.png.
func TestScreenshots(t *testing.T) {
	pdf := writePDF(t, letter(fakePass(300)))
	img := render(t, pdf, "80")
	// A4 at 80 dpi: 662 × 936 pixels (pdftoppm rounds up).
	if b := img.Bounds(); b.Dx() != 662 || b.Dy() != 936 {
		t.Fatalf("the page rendered at 80 dpi is %v", b)
	}
	if *screenshots == "" {
		return
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, "pass-letter.png"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestNamesPrintAsWritten: a name beyond German's letters (Polish, Czech,
// Greek, Cyrillic) prints as written, not as question marks, so that the
// person recognises the letter as theirs.
func TestNamesPrintAsWritten(t *testing.T) {
	l := letter(fakePass(300))
	l.DisplayName = "Łukasz Żółkiewski-Dvořák"
	l.Username = "Σοφία.Иванова@example.com"
	text := words1(pdfText(t, writePDF(t, l)))
	for _, want := range []string{l.DisplayName, l.Username, "Sicherheitsschlüssels"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter does not show %q", want)
		}
	}
}
