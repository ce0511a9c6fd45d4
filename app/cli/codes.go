package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/keydesk/keydesk/client/result"
)

func init() {
	register(Command{
		Name:    "codes",
		Summary: wordSummaryCodes.en,
		Run:     runCodes,
	})
}

func runCodes(args []string, s IO) int {
	fs := newFlagSet("codes", s)
	var names []string
	for _, src := range result.Sources() {
		names = append(names, string(src))
	}
	source := fs.String("source", "", wordFlagCodesSource.en)
	format := fs.String("format", "md", wordFlagCodesFormat.en)
	asJSON := fs.Bool("json", false, wordFlagCodesJson.en)
	if code, done := parseFlags(fs, args, s, strings.Join(names, ", ")); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageFail(s, wordUnexpectedArg.err("codes", fs.Arg(0)))
	}
	if *asJSON {
		*format = "json"
	}
	var sources []result.Source
	if *source != "" {
		for _, n := range strings.Split(*source, ",") {
			src, ok := result.ParseSource(n)
			if !ok || src == result.SourceUnknown {
				return usageFail(s, wordUnknownSource.err(strings.TrimSpace(n), strings.Join(names, ", ")))
			}
			sources = append(sources, src)
		}
	}
	switch *format {
	case "md", "markdown":
		if err := result.WriteMarkdown(s.Out, sources...); err != nil {
			fmt.Fprint(s.Err, wordProblem.f("codes", err))
			return 1
		}
	case "json":
		enc := json.NewEncoder(s.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(result.Entries(sources...)); err != nil {
			fmt.Fprint(s.Err, wordProblem.f("codes", err))
			return 1
		}
	default:
		return usageFail(s, wordUnknownFormat.err(*format))
	}
	return 0
}
