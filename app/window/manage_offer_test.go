package window

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/keydesk/keydesk/app/demo"
	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/ctap"
	"github.com/keydesk/keydesk/ctap/testkit"
	"github.com/keydesk/keydesk/ctap/virtualkey"
)

// TestManageOffersOnlyWhatTheKeyCan: the Manage and Keys screens offer
// only what the chosen key's getInfo says it can do (ctap's feature
// predicates), with real keys through libfido2: a key without client PIN
// and credential management gets sentences instead of the PIN form and
// the credential list, and listing its credentials does not ask for a PIN
// (UNSUPPORTED_OPTION); a key without a PIN gets "Set PIN" without the
// current-PIN field; once it has one, "Change PIN" with it.
func TestManageOffersOnlyWhatTheKeyCan(t *testing.T) {
	u, env := newTestUI(t)
	ctx := context.Background()
	bare, err := demo.StartMemoryKey(virtualkey.Options{NoClientPIN: true, NoCredMgmt: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	choose := func(path string) {
		t.Helper()
		onUI(func() { _ = u.Keys.Selected.Set(path) })
		u.Keys.Scan(ctx, true)
	}
	onUI(func() { u.Show(ScreenManage) })
	m := u.manageScreen
	shown := func() []string {
		var s []string
		onUI(func() { s = texts(m.content) })
		return s
	}
	has := func(words []string, w string) bool {
		return slices.ContainsFunc(words, func(s string) bool { return strings.Contains(s, w) })
	}

	choose(bare.Path())
	words := shown()
	for _, w := range []string{"This key cannot have a PIN.", "This key cannot list its credentials: it has no credential management."} {
		if !has(words, w) {
			t.Errorf("a key without client PIN and credential management: %q not shown in\n%s", w, strings.Join(words, "\n"))
		}
	}
	for _, w := range []string{"Set PIN", "Change PIN", "Save PIN", "current PIN", "Show credentials"} {
		if has(words, w) {
			t.Errorf("a key without client PIN and credential management is offered %q", w)
		}
	}
	// Nor told what it cannot do as if it could (keydesk-manage-ctap20.png
	// showed "Set a first PIN…" above "This key cannot have a PIN.").
	for _, w := range []string{"Set a first PIN", "Listing them needs the PIN"} {
		if has(words, w) {
			t.Errorf("a key without client PIN and credential management is told %q", w)
		}
	}
	if !has(words, "Factory reset…") {
		t.Error("the factory reset is not offered on a FIDO2 key")
	}
	if r, ok := u.Keys.Row(bare.Path()); !ok || !strings.HasSuffix(r.DetailsText(), " · cannot list its credentials") {
		t.Errorf("the Keys screen does not say the key cannot list its credentials: %q", r.DetailsText())
	}
	err = u.Manage.LoadCredentials(ctx, testkit.NoPIN(t))
	if code, _ := ctap.CodeOf(err); code != ctap.StatusUnsupportedOption {
		t.Errorf("listing the credentials of a key without credential management: %v", err)
	}
	// Told in the key's words (keydesk:key-unsupported), not as a
	// service's requirement the key cannot meet (0x2B's words).
	if title, text := explain(err, result.User); codeOf(err) != result.CodeKeyUnsupported ||
		strings.Contains(title+text, "service") || !strings.Contains(title, "This key does not offer this") {
		t.Errorf("a key without credential management is explained as %s: %q %q", codeOf(err), title, text)
	}

	choose(env.Key.Path())
	words = shown()
	if !has(words, "Set PIN") || has(words, "current PIN") || has(words, "Change PIN") || has(words, "This key cannot") {
		t.Errorf("a key without a PIN yet:\n%s", strings.Join(words, "\n"))
	}
	setKeyPIN(t, u, "1234")
	u.Keys.Scan(ctx, true)
	words = shown()
	if !has(words, "Change PIN") || !has(words, "current PIN") || has(words, "Set PIN") || !has(words, "Show credentials") {
		t.Errorf("a key with a PIN:\n%s", strings.Join(words, "\n"))
	}
}
