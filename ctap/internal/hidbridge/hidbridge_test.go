//go:build linux && cgo

package hidbridge_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	libfido2 "github.com/keys-pub/go-libfido2"

	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/testkit"
)

// tinyKey answers just enough CTAPHID (INIT, CBOR getInfo, CANCEL) to prove
// the bridge's routing; the real authenticator lives in ctap/virtualkey and
// has its own conformance tests through this bridge.
type tinyKey struct {
	ln        *net.UnixListener
	aaguid    []byte
	conns     atomic.Int32
	cancelled atomic.Int32
	// hang makes every getInfo but the first on a connection (libfido2
	// sends one while opening) wait for a CANCEL.
	hang atomic.Bool
}

func startTinyKey(t *testing.T) (*tinyKey, string) {
	t.Helper()
	sock := filepath.Join(testkit.SocketDir(t), "s")
	ln, err := net.ListenUnix("unixpacket", &net.UnixAddr{Name: sock, Net: "unixpacket"})
	if err != nil {
		t.Fatal(err)
	}
	k := &tinyKey{ln: ln, aaguid: bytes.Repeat([]byte{0xAB}, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.AcceptUnix()
			if err != nil {
				return
			}
			k.conns.Add(1)
			go k.serve(c)
		}
	}()
	return k, hidbridge.Prefix + sock
}

func (k *tinyKey) serve(c *net.UnixConn) {
	defer c.Close()
	const cid = 0x01020304
	buf := make([]byte, 128)
	infos := 0
	for {
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		if n != 64 {
			panic("bridge sent a packet that is not 64 bytes")
		}
		pkt := buf[:64]
		cmd := pkt[4] &^ 0x80
		plen := int(binary.BigEndian.Uint16(pkt[5:7]))
		data := pkt[7 : 7+min(plen, 57)]
		reply := func(cid uint32, cmd byte, payload []byte) {
			out := make([]byte, 64)
			binary.BigEndian.PutUint32(out, cid)
			out[4] = cmd | 0x80
			binary.BigEndian.PutUint16(out[5:], uint16(len(payload)))
			copy(out[7:], payload)
			c.Write(out)
		}
		switch cmd {
		case 0x06: // INIT
			p := append(append([]byte{}, data[:8]...), 0x01, 0x02, 0x03, 0x04, 2, 1, 0, 0, 0x04|0x01)
			reply(0xffffffff, 0x06, p)
		case 0x11: // CANCEL
			k.cancelled.Add(1)
			if k.hang.Load() {
				reply(cid, 0x10, []byte{0x2D}) // CTAP2_ERR_KEEPALIVE_CANCEL
			}
		case 0x10: // CBOR
			if data[0] != 0x04 {
				reply(cid, 0x10, []byte{0x01})
				continue
			}
			infos++
			if k.hang.Load() && infos > 1 {
				continue // the answer comes when CANCEL arrives
			}
			em, _ := cbor.CTAP2EncOptions().EncMode()
			info, _ := em.Marshal(map[int]any{1: []string{"FIDO_2_0"}, 3: k.aaguid})
			reply(cid, 0x10, append([]byte{0}, info...))
		default:
			reply(cid, 0x3F, []byte{0x01})
		}
	}
}

func TestVirtualPathReachesSocket(t *testing.T) {
	k, path := startTinyKey(t)
	dev, err := libfido2.NewDevice(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := dev.Info()
	if err != nil {
		t.Fatalf("Info through the bridge: %v", err)
	}
	if !bytes.Equal(info.AAGUID, k.aaguid) {
		t.Errorf("AAGUID = %x, want %x", info.AAGUID, k.aaguid)
	}
	if len(info.Versions) != 1 || info.Versions[0] != "FIDO_2_0" {
		t.Errorf("versions = %v", info.Versions)
	}
	if n := hidbridge.OpenCount(path); n != 0 {
		t.Errorf("%d handles left open after Info", n)
	}
}

func TestOtherPathsGoToLibfido2(t *testing.T) {
	dev, err := libfido2.NewDevice("/nonexistent/hidraw9")
	if err != nil {
		t.Fatal(err)
	}
	_, err = dev.Info()
	if err == nil {
		t.Fatal("opening a missing hidraw path succeeded")
	}
	// libfido2's own HID backend answers for real paths: FIDO_ERR_RX (-2)
	// or FIDO_ERR_INTERNAL, never a socket error of ours.
	if !errors.Is(err, libfido2.ErrRX) && !strings.Contains(err.Error(), "libfido2 error") && !errors.Is(err, libfido2.ErrTX) {
		t.Logf("error for a missing hidraw device: %v", err)
	}
}

func TestMissingSocketFailsCleanly(t *testing.T) {
	dev, _ := libfido2.NewDevice(hidbridge.Prefix + "/tmp/kdb-missing/s")
	if _, err := dev.Info(); err == nil {
		t.Fatal("Info on a virtual path with no socket succeeded")
	}
}

func TestRegisteredKeyIsListed(t *testing.T) {
	_, path := startTinyKey(t)
	if err := hidbridge.Register(path, "KeyDesk", "Virtual Key"); err != nil {
		t.Fatal(err)
	}
	locs, err := libfido2.DeviceLocations()
	if err != nil {
		t.Fatal(err)
	}
	if !listed(locs, path) {
		t.Fatalf("registered key %s not in listing %v", path, locs)
	}
	hidbridge.Unregister(path)
	locs, err = libfido2.DeviceLocations()
	if err != nil {
		t.Fatal(err)
	}
	if listed(locs, path) {
		t.Fatal("unregistered key still listed")
	}
	if err := hidbridge.Register("/dev/hidraw0", "x", "y"); err == nil {
		t.Fatal("registering a non-virtual path succeeded")
	}
}

func listed(locs []*libfido2.DeviceLocation, path string) bool {
	for _, l := range locs {
		if l.Path == path && l.Manufacturer == "KeyDesk" && l.Product == "Virtual Key" {
			return true
		}
	}
	return false
}

func TestCancelReachesWaitingRequest(t *testing.T) {
	k, path := startTinyKey(t)
	k.hang.Store(true)
	dev, _ := libfido2.NewDevice(path)
	done := make(chan error, 1)
	go func() { _, err := dev.Info(); done <- err }()
	deadline := time.Now().Add(10 * time.Second)
	for hidbridge.OpenCount(path) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("device never opened")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let the getInfo request go out
	if n := hidbridge.Cancel(path); n != 1 {
		t.Fatalf("Cancel reached %d handles, want 1", n)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("cancelled getInfo succeeded")
		}
		if k.cancelled.Load() == 0 {
			t.Fatal("key saw no CTAPHID_CANCEL")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancel did not end the request")
	}
	if hidbridge.Cancel(path) != 0 {
		t.Fatal("Cancel found a handle after the call returned")
	}
}

// TestPreloadLibraryServesUpstreamTools runs Debian's fido2-token, an
// independent libfido2 client, against a virtual path through the bridge
// built as an LD_PRELOAD library.
func TestPreloadLibraryServesUpstreamTools(t *testing.T) {
	if _, err := exec.LookPath("fido2-token"); err != nil {
		t.Fatal("fido2-token missing: install fido2-tools (make deps)")
	}
	k, path := startTinyKey(t)
	so, err := hidbridge.BuildPreload(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "LD_PRELOAD="+so, "KEYDESK_VIRTUAL_DEVICES="+path)
	cmd := exec.Command("fido2-token", "-L")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fido2-token -L: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), path) {
		t.Fatalf("fido2-token -L does not list %s:\n%s", path, out)
	}
	cmd = exec.Command("fido2-token", "-I", path)
	cmd.Env = env
	out, err = cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fido2-token -I: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "aaguid: abababab") {
		t.Fatalf("fido2-token -I output lacks the key's AAGUID:\n%s", out)
	}
	if k.conns.Load() == 0 {
		t.Fatal("the key saw no connection")
	}
}
