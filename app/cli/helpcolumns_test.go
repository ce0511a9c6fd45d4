package cli

import (
	"strings"
	"testing"
)

// TestHelpSummariesLineUp: every command's summary in `keydesk help`
// starts in the same column, however long the longest command name is
// ("authenticator" pushed its summary out of line).
func TestHelpSummariesLineUp(t *testing.T) {
	out, errOut, _ := runCLI(t, "", "help")
	text := out + errOut
	i := strings.Index(text, wordCommands.en)
	if i < 0 {
		t.Fatalf("no command list in:\n%s", text)
	}
	col, rows := -1, 0
	for _, line := range strings.Split(text[i:], "\n")[1:] {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		name := strings.Fields(line)[0]
		summary := commands[name].Summary
		at := strings.Index(line, say(summary))
		if summary == "" || at < 0 {
			t.Fatalf("line %q: no summary of %q", line, name)
		}
		if col >= 0 && at != col {
			t.Errorf("%q: summary at column %d, others at %d", name, at, col)
		}
		col = at
		rows++
	}
	if rows < len(commands) {
		t.Errorf("%d command rows, %d commands", rows, len(commands))
	}
}
