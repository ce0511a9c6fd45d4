package ctap_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// TestPINsDoNotStayInMemory plants two distinctive PINs, runs every
// PIN-taking operation with them (set PIN, change PIN, make credential,
// get assertion, credential slots, list relying parties and credentials,
// delete a credential) against a virtual key in another process, zeroes
// the test's own copies, collects garbage, and then reads every writable
// mapping of this process (Go heap, C heap, thread stacks) through
// /proc/self/mem: no piece of either PIN may be left. go-libfido2 leaked
// the C string of each PIN it was given; the shim zeroes its own.
func TestPINsDoNotStayInMemory(t *testing.T) {
	sock := filepath.Join(testkit.SocketDir(t), "k")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envKeyProcess+"="+sock)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("key process: %q, %v", line, err)
	}

	// The PINs are built at run time in buffers the test zeroes before the
	// scan, so neither the binary nor the test itself holds them then.
	bufA, bufB := plantPIN(3), plantPIN(7)
	pinA := unsafe.String(&bufA[0], len(bufA))
	pinB := unsafe.String(&bufB[0], len(bufB))
	needles := append(pinNeedles(bufA), pinNeedles(bufB)...)
	control := plantPIN(11) // stays alive: proves the scan sees the Go heap
	controlNeedles := pinNeedles(control)

	runPINOperations(t, "virtual:"+sock, pinA, pinB)

	clear(bufA)
	clear(bufB)
	runtime.GC()
	runtime.GC()

	found := scanOwnMemory(t, append(needles, controlNeedles...))
	runtime.KeepAlive(control)
	if found[len(needles)] == 0 {
		t.Fatal("the scan did not find the control PIN that is alive in the Go heap: it does not see this process's memory")
	}
	for i, n := range found[:len(needles)] {
		if n > 0 {
			t.Errorf("piece %d (bytes %d..%d) of PIN %c is still in memory %d time(s) after the operations", i%3, 8*(i%3), 8*(i%3)+8, "AB"[i/3], n)
		}
	}
}

// plantPIN returns a 24-digit PIN computed from seed (never a constant).
// It is not inlined so that the PIN lives on the heap: on the test's stack,
// a stack growth would copy it to where clear cannot reach.
//
//go:noinline
func plantPIN(seed int) []byte {
	b := make([]byte, 24)
	x := uint32(seed)*2654435761 + 12345
	for i := range b {
		x = x*1103515245 + 12345
		b[i] = '0' + byte((x>>16)%10)
	}
	return b
}

const needleMask = 0x5A

// pinNeedles returns the PIN's three 8-byte pieces, masked so that the
// needles are not themselves a copy of the PIN: a piece survives where the
// allocator reuses the start of a freed PIN buffer.
func pinNeedles(pin []byte) [][]byte {
	var out [][]byte
	for off := 0; off+8 <= len(pin); off += 8 {
		n := make([]byte, 8)
		for i := range n {
			n[i] = pin[off+i] ^ needleMask
		}
		out = append(out, n)
	}
	return out
}

func runPINOperations(t *testing.T, path, pinA, pinB string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dev, err := ctap.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, pinA); err != nil {
		t.Fatalf("set PIN: %v", err)
	}
	if err := dev.ChangePIN(ctx, pinA, pinB); err != nil {
		t.Fatalf("change PIN: %v", err)
	}
	p := testkit.NewPrompter(pinB, pinB)
	cdh := sha256.Sum256([]byte("client data"))
	mc, err := dev.MakeCredential(ctx, ctap.MakeCredentialRequest{
		ClientDataHash: cdh[:], RP: ctap.RelyingPartyEntity{ID: "pin.example"},
		User:        ctap.UserEntity{ID: []byte{1, 2, 3}, Name: "u", DisplayName: "U"},
		ResidentKey: true, UserVerification: ctap.UVRequired, Timeout: 10 * time.Second,
	}, p)
	if err != nil {
		t.Fatalf("make credential: %v", err)
	}
	if _, err := dev.GetAssertion(ctx, ctap.GetAssertionRequest{
		RPID: "pin.example", ClientDataHash: cdh[:], UserVerification: ctap.UVRequired, Timeout: 10 * time.Second,
	}, p); err != nil {
		t.Fatalf("get assertion: %v", err)
	}
	if _, err := dev.CredentialSlots(ctx, pinB); err != nil {
		t.Fatalf("credential slots: %v", err)
	}
	if rps, err := dev.RelyingParties(ctx, pinB); err != nil || len(rps) != 1 {
		t.Fatalf("relying parties: %v, %v", rps, err)
	}
	if creds, err := dev.Credentials(ctx, "pin.example", pinB); err != nil || len(creds) != 1 {
		t.Fatalf("credentials: %v, %v", len(creds), err)
	}
	if err := dev.DeleteCredential(ctx, mc.CredentialID, pinB); err != nil {
		t.Fatalf("delete credential: %v", err)
	}
}

// scanOwnMemory reads every readable and writable mapping of this process
// and counts the occurrences of each masked needle.
func scanOwnMemory(t *testing.T, needles [][]byte) []int {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	mem, err := os.Open("/proc/self/mem")
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	found := make([]int, len(needles))
	buf := make([]byte, 1<<20)
	var scanned int64
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.HasPrefix(f[1], "rw") {
			continue
		}
		if len(f) >= 6 && (f[5] == "[vvar]" || f[5] == "[vsyscall]") {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		// Chunks overlap by 7 bytes so that a needle across a chunk
		// boundary is seen.
		for off := start; off < end; {
			n := min(uint64(len(buf)), end-off)
			got, err := mem.ReadAt(buf[:n], int64(off))
			if got > 0 {
				scanned += int64(got)
				countNeedles(buf[:got], needles, found)
			}
			if err != nil && err != io.EOF {
				break // an unreadable mapping (e.g. a guard area)
			}
			if off+n >= end {
				break
			}
			off += n - 7
		}
	}
	if scanned < 1<<20 {
		t.Fatalf("scanned only %d bytes of this process's memory", scanned)
	}
	t.Logf("scanned %d MiB", scanned>>20)
	return found
}

func countNeedles(b []byte, needles [][]byte, found []int) {
	first := make([]byte, len(needles))
	for i, n := range needles {
		first[i] = n[0] ^ needleMask
	}
	for i, n := range needles {
		for at := 0; ; {
			j := bytes.IndexByte(b[at:], first[i])
			if j < 0 || at+j+len(n) > len(b) {
				break
			}
			p := at + j
			match := true
			for k := range n {
				if b[p+k]^needleMask != n[k] {
					match = false
					break
				}
			}
			if match {
				found[i]++
			}
			at = p + 1
		}
	}
}
