package result

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the reference of every entry of the given sources
// (all when none are given) as Markdown: one section per source, one table
// row per code. Runs of unnamed reserved CTAP statuses are written as one
// row.
func WriteMarkdown(w io.Writer, sources ...Source) error {
	if len(sources) == 0 {
		sources = Sources()
	}
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("# KeyDesk result codes\n\n")
	p("Every code KeyDesk can meet, with its official message where one exists, what it means and what to do.\n")
	p("Generated from KeyDesk's catalogue (`client/result/catalogue/*.json`) by `keydesk codes --format md`; do not edit by hand.\n")
	p("`keydesk explain CODE` explains a single code or anything pasted: a result object, an API error body, a browser console line.\n\n")
	if len(sources) > 1 {
		for _, s := range sources {
			p("- [%s](#source-%s)\n", s.Title(), s)
		}
		p("\n")
	}
	for _, s := range sources {
		entries := Entries(s)
		p("<a id=\"source-%s\"></a>\n\n## %s\n\n", s, s.Title())
		if len(entries) > 0 && entries[0].Reference != "" {
			p("Source: %s.\n\n", mdCell(entries[0].Reference))
		}
		p("| Code | Name | Official message | What it means | What the user can do | For the helpdesk |\n")
		p("|---|---|---|---|---|---|\n")
		for i := 0; i < len(entries); i++ {
			e := entries[i]
			if isPlainReserved(e) {
				j := i
				for j+1 < len(entries) && isPlainReserved(entries[j+1]) && entries[j+1].Kind == e.Kind {
					j++
				}
				code := e.Code.Value
				if j > i {
					code += "–" + entries[j].Code.Value
				}
				p("| %s | (%s) |  | %s | %s | %s |\n", mdCode(code), e.Kind, mdCell(e.Explanation), mdCell(e.UserText), mdCell(e.HelpdeskText))
				i = j
				continue
			}
			name := e.Name
			if name == e.Code.Value {
				name = ""
			}
			if len(e.Aliases) > 0 {
				name = strings.TrimSpace(name + " (also " + strings.Join(e.Aliases, ", ") + ")")
			}
			expl := e.Explanation
			if e.Kind != KindError {
				expl = "*" + string(e.Kind) + ".* " + expl
			}
			if e.HTTPStatus != 0 && s != SourceHTTP {
				expl += fmt.Sprintf(" HTTP status %d.", e.HTTPStatus)
			}
			msg := e.Message
			if msg == e.Name {
				msg = ""
			}
			p("| %s | %s | %s | %s | %s | %s |\n", mdCode(e.Code.Value), mdCell(name), mdCell(msg), mdCell(expl), mdCell(e.UserText), mdCell(e.HelpdeskText))
		}
		p("\n")
	}
	return bw.Flush()
}

// isPlainReserved reports a generated range entry (a CTAP status without a
// name of its own).
func isPlainReserved(e Entry) bool {
	return e.Code.Source == SourceCTAP && e.Name == e.Code.Value && e.Kind != KindError && e.Kind != KindSuccess
}

func mdCode(s string) string { return "`" + strings.ReplaceAll(s, "`", "'") + "`" }

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "\\", "\\\\")
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "{{", "`{{")
	s = strings.ReplaceAll(s, "}}", "}}`")
	return s
}
