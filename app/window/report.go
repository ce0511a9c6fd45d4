package window

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/keydesk/keydesk/assets/aaguid"
	"github.com/keydesk/keydesk/client/atomicfile"
	"github.com/keydesk/keydesk/client/ceremony"
	"github.com/keydesk/keydesk/client/result"
)

// Report is what the helpdesk exports: key info, the ceremonies' timelines,
// the codes met with their explanations, and the environment. It holds no
// token, access key, challenge, PIN, credential ID or public key: the
// ceremonies are kept redacted from the start (see Ceremony).
type Report struct {
	Generated   time.Time    `json:"generated"`
	Environment Environment  `json:"environment"`
	Keys        []KeyRow     `json:"keys"`
	Ceremonies  []*Ceremony  `json:"ceremonies"`
	Codes       []ReportCode `json:"codes"`
	ModelSource string       `json:"modelSource"`
}

// Environment describes where KeyDesk runs.
type Environment struct {
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"goVersion"`
	Mode      string `json:"mode"` // "demo" or "instance"
	// Instance is the Cloud instance's host (never its access key).
	Instance string `json:"instance,omitempty"`
	Origin   string `json:"origin,omitempty"`
}

// ReportCode is one code met, explained for the helpdesk.
type ReportCode struct {
	Code        string `json:"code"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	Advice      string `json:"advice"`
	// code is Code parsed: the HTML report words it in the window's
	// language.
	code result.Code
}

// BuildReport gathers the report from the services and the keys listed.
func BuildReport(s *Services, keys []KeyRow) *Report {
	r := &Report{Generated: time.Now().UTC(), Keys: keys, Ceremonies: s.History.All(), ModelSource: aaguid.Source}
	if r.Keys == nil {
		r.Keys = []KeyRow{}
	}
	r.Environment = Environment{OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version(), Mode: "instance"}
	if s.Demo() != nil {
		r.Environment.Mode = "demo"
	}
	if cl := s.Cloud(); cl != nil {
		cfg := cl.Config()
		if u, err := url.Parse(cfg.InstanceURL); err == nil {
			r.Environment.Instance = u.Host
		}
		r.Environment.Origin = cl.Origin()
	}
	r.Codes = reportCodes(r.Ceremonies)
	return r
}

// reportCodes are the report's codes section: every code the ceremonies
// met (their records' Codes), each once, explained for the helpdesk.
func reportCodes(cs []*Ceremony) []ReportCode {
	var out []ReportCode
	seen := map[result.Code]bool{}
	for _, c := range cs {
		for _, code := range c.Codes() {
			if seen[code] {
				continue
			}
			seen[code] = true
			e := result.Lookup(code)
			out = append(out, ReportCode{code: code, Code: code.String(), Title: e.Title(), Explanation: e.Explanation, Advice: e.Text(result.Helpdesk)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// JSON encodes the report, indented.
func (r *Report) JSON() ([]byte, error) { return json.MarshalIndent(r, "", "  ") }

// HTML renders the report as a standalone page.
func (r *Report) HTML() ([]byte, error) {
	var b strings.Builder
	if err := reportTemplate.Execute(&b, r); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// WriteFiles writes report.json and report.html into dir (created if
// needed) with names stamped with the time, and returns their paths.
func (r *Report) WriteFiles(dir string) (jsonPath, htmlPath string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	stamp := r.Generated.Format("20060102-150405")
	j, err := r.JSON()
	if err != nil {
		return "", "", err
	}
	h, err := r.HTML()
	if err != nil {
		return "", "", err
	}
	jsonPath = filepath.Join(dir, "keydesk-report-"+stamp+".json")
	htmlPath = filepath.Join(dir, "keydesk-report-"+stamp+".html")
	if err := atomicfile.WriteFile(jsonPath, j, 0o600); err != nil {
		return "", "", err
	}
	if err := atomicfile.WriteFile(htmlPath, h, 0o600); err != nil {
		return "", "", err
	}
	return jsonPath, htmlPath, nil
}

// DefaultReportDir is where reports go when no folder is chosen: the
// user's Documents folder if it exists, else the home folder.
func DefaultReportDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return os.TempDir()
	}
	if d := filepath.Join(home, "Documents"); isDir(d) {
		return d
	}
	return home
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }

// reportFuncs put the HTML report's words in the window's language (the
// JSON report stays as it is: English keys, codes, catalogue texts).
// L and Lt take string literals only, so that TestGermanComplete finds
// every word of the template; the other functions word a value.
var reportFuncs = template.FuncMap{
	"ms":   ms,
	"time": func(t time.Time) string { return t.Format("2006-01-02 15:04:05") },
	"lang": Language,
	"L":    func(s string) string { return lang.L(s) },
	// Lt fills a template's fields from name, value pairs.
	"Lt": func(s string, pairs ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(pairs); i += 2 {
			if k, ok := pairs[i].(string); ok {
				data[k] = pairs[i+1]
			}
		}
		return lang.L(s, data)
	},
	// mode: Environment.Mode.
	"mode": func(mode string) string {
		if mode == "demo" {
			return lang.L("demo mode")
		}
		return lang.L("Authentication Cloud instance")
	},
	"kind":       kindText,
	"dataKind":   DataKind.Text,
	"keyVerdict": KeyVerdict.Text,
	"step":       stepNameText,
	"ending":     func(c *Ceremony) string { return endingWord(c.Ending()) },
	"stepEnding": func(st ceremony.Step) string { return endingWord(stepEnding(st)) },
	"verdict":    SigVerdict.Text,
	// outcomeMessage: the catalogue's official message of the result's
	// code, translated where the catalogue has it (the client's verbose
	// message and the steps' details are shown as written, as code).
	"outcomeMessage": func(c *Ceremony) string {
		if c.Outcome.Code.Message == "" {
			return ""
		}
		return c.Outcome.Entry().In(Language()).Message
	},
	"local": func(rc ReportCode) ReportCode {
		if rc.code.IsZero() {
			return rc
		}
		e := result.Lookup(rc.code).In(Language())
		return ReportCode{Code: rc.Code, Title: e.Title(), Explanation: e.Explanation, Advice: e.Text(result.Helpdesk)}
	},
}

var reportTemplate = template.Must(template.New("report").Funcs(reportFuncs).Parse(`<!DOCTYPE html>
<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{L "KeyDesk report"}} {{time .Generated}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.ok,.succeeded{color:#176a2a}.fail,.failed{color:#a3161b}.cancelled{color:#555}.timed-out{color:#a65c00}
.bar{display:inline-block;height:.8em;background:#3b7ddd}.bar.fail{background:#c62828}
</style></head><body>
<h1>{{L "KeyDesk report"}}</h1>
<p>{{Lt "Generated {{.Time}} UTC." "Time" (time .Generated)}} {{L "Tokens, access keys, challenges, PINs, credential IDs and public keys are not part of this report."}}</p>
<h2>{{L "Environment"}}</h2>
<table><tr><th>{{L "Operating system"}}</th><td>{{.Environment.OS}}/{{.Environment.Arch}}</td></tr>
<tr><th>{{L "Go version"}}</th><td>{{.Environment.GoVersion}}</td></tr>
<tr><th>{{L "Mode"}}</th><td>{{mode .Environment.Mode}}</td></tr>
<tr><th>{{L "Instance"}}</th><td>{{.Environment.Instance}}</td></tr>
<tr><th>{{L "Origin"}}</th><td>{{.Environment.Origin}}</td></tr></table>
<h2>{{L "Keys"}}</h2>
{{if not .Keys}}<p>{{L "No key connected."}}</p>{{else}}<table><tr><th>{{L "Product"}}</th><th>{{L "Model (AAGUID)"}}</th><th>{{L "Firmware"}}</th><th>{{L "PIN"}}</th><th>{{L "Slots left"}}</th><th>{{L "Health"}}</th></tr>
{{range .Keys}}<tr><td>{{.Product}}</td><td>{{.Model}}<br><small>{{.AAGUID}}</small></td><td>{{.Firmware}}</td><td>{{.PINText}}</td><td>{{.SlotsText}}</td><td>{{keyVerdict .Verdict}} {{.Problem}}</td></tr>
{{end}}</table>{{end}}
<p><small>{{Lt "Model names: {{.Source}}." "Source" .ModelSource}}</small></p>
<h2>{{L "Ceremonies"}}</h2>
{{if not .Ceremonies}}<p>{{L "None in this session."}}</p>{{end}}
{{range .Ceremonies}}<h3 class="{{.EndedAs}}">{{kind .Kind}} {{.Username}} — {{ending .}}, {{.Outcome.Code.StatusCode}}</h3>
<p>{{time .Started}}: {{outcomeMessage .}}{{with .Outcome.Message}}<br><code>{{.}}</code>{{end}}{{if not .Cause.IsZero}}<br>{{L "Cause:"}} <code>{{.Cause}}</code>{{end}}{{if .DOMException}} ({{.DOMException}}){{end}}</p>
<table><tr><th>{{L "Step"}}</th><th>{{L "Duration"}}</th><th>{{L "Outcome"}}</th><th>{{L "Detail"}}</th></tr>
{{range .Steps}}<tr><td>{{step .Name}}</td><td>{{ms .Duration}}</td><td class="{{if .OK}}ok{{else}}fail{{end}}">{{stepEnding .}}{{if not .OK}}: <code>{{.Code}}</code>{{end}}</td><td><code>{{.Detail}}</code></td></tr>
{{end}}</table>
{{with .Credential}}<table><tr><th>{{L "Data"}}</th><td>{{dataKind .Kind}}{{if .Format}}, {{Lt "format {{.Format}}" "Format" .Format}}{{end}}</td></tr>
<tr><th>AAGUID</th><td>{{.AAGUID}} {{.Model}}</td></tr><tr><th>{{L "Flags"}}</th><td>{{.Flags}}</td></tr>
<tr><th>{{L "Counter"}}</th><td>{{.Counter}}</td></tr><tr><th>{{L "Algorithm"}}</th><td>{{.Algorithm}}</td></tr>
<tr><th>{{L "Certificate chain"}}</th><td>{{range .Chain}}{{.}}<br>{{end}}</td></tr><tr><th>{{L "Signature"}}</th><td>{{verdict .Verdict}}</td></tr></table>{{end}}
{{end}}
<h2>{{L "Codes"}}</h2>
{{if not .Codes}}<p>{{L "None."}}</p>{{else}}<table><tr><th>{{L "Code"}}</th><th>{{L "Meaning"}}</th><th>{{L "What to check"}}</th></tr>
{{range .Codes}}{{with local .}}<tr><td><code>{{.Code}}</code><br>{{.Title}}</td><td>{{.Explanation}}</td><td>{{.Advice}}</td></tr>
{{end}}{{end}}</table>{{end}}
</body></html>
`))
