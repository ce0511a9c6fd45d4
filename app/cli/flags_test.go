package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// Every command answers -h with its usage and exit 0, and a flag it does
// not know with exit 2, before it touches a key or the network.
func TestEveryCommandHelpAndBadFlag(t *testing.T) {
	useConfigDir(t)
	sub := map[string][]string{"pin": {"set"}, "credentials": {"list"}, "webauthn": {"create"}}
	for name := range commands {
		pre := append([]string{name}, sub[name]...)
		for _, c := range []struct {
			flag string
			want int
		}{{"-h", 0}, {"--no-such-flag", 2}} {
			var out, errb bytes.Buffer
			s := IO{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: os.Getenv,
				ReadSecret: func(string) (string, error) { t.Fatalf("%s %s asked for a secret", name, c.flag); return "", nil }}
			code := Main(append(pre, c.flag), s)
			if code != c.want {
				t.Errorf("keydesk %s %s: exit %d, want %d\n%s", strings.Join(pre, " "), c.flag, code, c.want, errb.String())
			}
			if !strings.Contains(strings.ToLower(errb.String()), "usage") {
				t.Errorf("keydesk %s %s printed no usage:\n%s", strings.Join(pre, " "), c.flag, errb.String())
			}
		}
	}
}
