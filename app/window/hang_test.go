package window

import (
	"context"
	"testing"
	"time"

	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestKeysScanLetsGoOfAKeyThatStopsAnswering: the Keys screen reads a key
// that answers getInfo and then hangs in the PIN retries (never answers,
// ignores CTAPHID_CANCEL). The read ends at its deadline, and the key is
// free again for the next operation: the watcher holds no lock for good.
func TestKeysScanLetsGoOfAKeyThatStopsAnswering(t *testing.T) {
	defer ctap.SetMaxTimeoutForTesting(500 * time.Millisecond)()
	u, env := newTestUI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := env.Key.Path()
	dev, err := ctap.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := dev.SetPIN(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	env.Key.OnEvent(func(e virtualkey.Event) {
		if e.Kind == virtualkey.EventCommand && e.Command == 0x06 { // clientPIN getRetries
			env.Key.SetSilent(true)
		}
	})
	scanned := make(chan struct{})
	go func() { u.Keys.Scan(ctx, true); close(scanned) }()
	select {
	case <-scanned:
	case <-time.After(8 * time.Second):
		t.Fatal("the Keys screen still waits on a key that stopped answering, 8 s after a 500 ms deadline")
	}
	row, ok := u.Keys.Row(path)
	if !ok || !row.PINSet || row.PINRetries != -1 {
		t.Errorf("row = %+v, want the PIN set and its tries unknown", row)
	}
	env.Key.OnEvent(nil)
	env.Key.SetSilent(false)
	quick, cancelQuick := context.WithTimeout(ctx, 3*time.Second)
	defer cancelQuick()
	if n, err := dev.PINRetries(quick); err != nil || n != 8 {
		t.Fatalf("the key answers again but the next read got %d, %v: the watcher still holds it", n, err)
	}
}
