package window

import (
	"context"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestKeyFollowsThePickRule: the window's services and Keys screen choose
// the key by ctap.PickKey's rule, with real keys through libfido2: with two
// keys and none chosen nothing is guessed (the Keys screen asks to select
// one, an operation fails with several-keys); the chosen key is used; a
// chosen key that left is not replaced behind the person's back (an
// operation fails with key-removed) until the Keys screen chooses anew.
func TestKeyFollowsThePickRule(t *testing.T) {
	u, env := newTestUI(t)
	ctx := context.Background()
	second, err := demo.StartMemoryKey(virtualkey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			second.Close()
		}
	})

	u.S.Select("")
	onUI(func() { _ = u.Keys.Selected.Set("") })
	u.Keys.Scan(ctx, true)
	if sel := u.S.Selected(); sel != "" {
		t.Fatalf("with two keys the Keys screen chose %s by itself", sel)
	}
	if st := get[string](t, u.Keys.Status); st != "Keys connected: 2. Select the one to use." {
		t.Errorf("status %q", st)
	}
	if _, err := u.S.Key(ctx); !isCode(err, result.CodeSeveralKeys) {
		t.Fatalf("Key with two keys and none chosen: %v, want several-keys", err)
	}

	onUI(func() { _ = u.Keys.Selected.Set(second.Path()) })
	dev, err := u.S.Key(ctx)
	if err != nil || dev.Path() != second.Path() {
		t.Fatalf("Key with the second key chosen: %v %v", dev, err)
	}

	second.Close()
	closed = true
	if _, err := u.S.Key(ctx); !isCode(err, result.CodeKeyRemoved) {
		t.Fatalf("Key after the chosen key left: %v, want key-removed", err)
	}
	u.Keys.Scan(ctx, false)
	if sel := u.S.Selected(); sel != env.Key.Path() {
		t.Fatalf("after the chosen key left the Keys screen chose %q, want the one key left %s", sel, env.Key.Path())
	}
	if dev, err := u.S.Key(ctx); err != nil || dev.Path() != env.Key.Path() {
		t.Fatalf("Key with one key left: %v %v", dev, err)
	}
}

func isCode(err error, c result.Code) bool {
	got, ok := result.CodeOf(err)
	return ok && got == c
}
