package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/keydesk/keydesk/client/config"
	"github.com/keydesk/keydesk/client/result"
)

// maxExplainInput bounds what explain reads from a file or standard input.
const maxExplainInput = 1 << 20

func init() {
	register(Command{
		Name:    "explain",
		Summary: wordSummaryExplain.en,
		Run:     runExplain,
	})
}

func runExplain(args []string, s IO) int {
	fs := newFlagSet("explain", s)
	file := fs.String("file", "", wordFlagExplainFile.en)
	asJSON := fs.Bool("json", false, wordFlagExplainJson.en)
	audience := fs.String("audience", "helpdesk", wordFlagExplainAudience.en)
	if code, done := parseFlags(fs, args, s); done {
		return code
	}
	aud, err := result.ParseAudience(*audience)
	if err != nil {
		return usageFail(s, wordUsageProblem.err("explain", err))
	}
	// A lone "-" means standard input, as with --file -.
	if *file == "" && fs.NArg() == 1 && fs.Arg(0) == "-" {
		*file = "-"
		_ = fs.Parse(nil)
	}
	var input string
	switch {
	case *file != "" && fs.NArg() > 0:
		return usageFail(s, wordCodesOrFile.err())
	case *file != "":
		text, err := readExplainInput(*file, s)
		if err != nil {
			return fail(s, wordExplainFailed.err(err))
		}
		input = text
	case fs.NArg() > 0:
		input = strings.Join(fs.Args(), " ")
	default:
		if s.json {
			return usageFail(s, wordCodesNeeded.err())
		}
		printHelp(s.Err, fs)
		return 2
	}
	registerAccessKey()
	d := result.Diagnose(input, aud)
	if *asJSON {
		enc := json.NewEncoder(s.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(d); err != nil {
			fmt.Fprint(s.Err, wordProblem.f("explain", err))
			return 1
		}
		return 0
	}
	fmt.Fprint(s.Out, d.In(language()).Text())
	return 0
}

// registerAccessKey makes the configured access key (environment or
// keyring) a known secret, so a pasted text that carries it unlabelled is
// scrubbed by value. Only a helpdesk station holds one (config.AccessKeyFor:
// other stations read neither). A missing key or configuration is no error
// here.
func registerAccessKey() {
	st, err := config.Load()
	if err != nil {
		return
	}
	_, _, _ = config.AccessKeyFor(st.StationKind(), st.InstanceURL)
}

// readExplainInput reads the file named by --file, or standard input for
// "-"; the error never quotes the content.
func readExplainInput(name string, s IO) (string, error) {
	var r io.Reader
	if name == "-" {
		if s.In == nil {
			return "", wordNoStdin.err()
		}
		r = s.In
	} else {
		f, err := os.Open(name)
		if err != nil {
			return "", wordReadingInput.err(err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxExplainInput+1))
	if err != nil {
		return "", wordReadingInput.err(err)
	}
	if len(b) > maxExplainInput {
		return "", wordInputTooLarge.err(maxExplainInput)
	}
	return string(b), nil
}
