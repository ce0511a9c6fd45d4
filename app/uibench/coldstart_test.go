package uibench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/keydesk/keydesk/app/demo"
	_ "github.com/keydesk/keydesk/app/envinit" // as in main: no locale error for LANG=C
	"github.com/keydesk/keydesk/app/internal/uitest"
	"github.com/keydesk/keydesk/app/window"
	"github.com/keydesk/keydesk/ctap"
)

// Each measurement is a fresh process (this test binary run again as a
// child), so that "cold" includes the runtime, every package's
// initialisation (the catalogue, the fonts, the theme) and the first
// render. The child renders its window once with Fyne's software painter
// (the test driver: no display needed), reports the time since the parent
// started it, idles a moment, and reports its resident memory.
//
// KeyDesk's window is what window.Run shows in demo mode: services started
// (the emulator on loopback and the virtual key, in memory), window.NewUI,
// Build and Start. The baseline is a bare window with one label.

const (
	childEnv = "KEYDESK_UIBENCH_CHILD"
	startEnv = "KEYDESK_UIBENCH_START"
	// idle is how long the child waits after its first frame before it
	// reads its memory: long enough for start-up garbage to be collected.
	idle = 300 * time.Millisecond
)

func TestMain(m *testing.M) {
	// The benchmarked app (parent and child) lists and opens only the
	// virtual keys it starts, never a hardware key plugged in.
	ctap.SetDeviceFilterForTesting(ctap.OnlyVirtualKeys)
	if kind := os.Getenv(childEnv); kind != "" {
		os.Exit(child(kind))
	}
	os.Exit(m.Run())
}

func child(kind string) int {
	start, err := strconv.ParseInt(os.Getenv(startEnv), 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "uibench: no start time")
		return 2
	}
	// The window is built on a goroutine of its own, as go test runs a
	// test, for both kinds. Fyne's test driver takes the main goroutine
	// for a worker: fyne.Do from it (data bindings call it on every Set
	// and AddListener) logs "called from main goroutine" and runs the
	// function later on a new goroutine. The real driver, before its
	// event loop starts, runs such calls at once on main (window.Run builds
	// the window there); on another goroutine the test driver does the
	// same.
	code := make(chan int)
	go func() { code <- show(kind, start) }()
	return <-code
}

// show builds and renders the window of kind, then reports.
func show(kind string, start int64) int {
	a := test.NewApp()
	w := a.NewWindow("KeyDesk")
	var stop func()
	switch kind {
	case "keydesk":
		svc, stopSvc, err := window.StartServices(context.Background(), &uitest.SettingsStore{}, demo.Options{Memory: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, "uibench:", err)
			return 2
		}
		ui := window.NewUI(a, w, svc)
		w.SetContent(ui.Build())
		ui.Start()
		stop = func() { ui.Stop(); stopSvc() }
	case "bare":
		w.SetContent(widget.NewLabel("Hello"))
		stop = func() {}
	default:
		return 2
	}
	w.Resize(fyne.NewSize(1000, 680))
	img := w.Canvas().Capture()
	firstFrame := time.Now().UnixNano() - start
	if img.Bounds().Empty() {
		fmt.Fprintln(os.Stderr, "uibench: empty frame")
		return 2
	}
	time.Sleep(idle)
	runtime.GC()
	fmt.Printf("first-frame-ns %d\nidle-rss-bytes %d\n", firstFrame, rss())
	stop()
	return 0
}

// rss is the process's resident set size (Linux /proc).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return -1
}

func coldStart(b *testing.B, kind string) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	var frames, rssSum float64
	n := 0
	for b.Loop() {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+kind, startEnv+"="+strconv.FormatInt(time.Now().UnixNano(), 10),
			"KEYDESK_CONFIG_DIR="+b.TempDir())
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("child: %v\n%s", err, out)
		}
		m := map[string]float64{}
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) == 2 {
				v, _ := strconv.ParseFloat(f[1], 64)
				m[f[0]] = v
			}
		}
		if m["first-frame-ns"] <= 0 || m["idle-rss-bytes"] <= 0 {
			b.Fatalf("child reported %q", out)
		}
		frames += m["first-frame-ns"]
		rssSum += m["idle-rss-bytes"]
		n++
	}
	// ns/op is the time to the first frame, not the child's whole run.
	b.ReportMetric(frames/float64(n), "ns/op")
	b.ReportMetric(rssSum/float64(n), "idle-rss-B")
}

// BenchmarkColdStart is KeyDesk's window in demo mode.
func BenchmarkColdStart(b *testing.B) { coldStart(b, "keydesk") }

// BenchmarkColdStartBaseline is a bare Fyne window with one label.
func BenchmarkColdStartBaseline(b *testing.B) { coldStart(b, "bare") }

// TestUIBenchReachesNoHardwareKey: TestMain's seam hides hardware keys.
func TestUIBenchReachesNoHardwareKey(t *testing.T) {
	if _, err := ctap.Open("/dev/hidraw0"); err == nil || !strings.Contains(err.Error(), "SetDeviceFilterForTesting") {
		t.Fatalf("a hardware path is not hidden from the uibench tests: %v", err)
	}
}
