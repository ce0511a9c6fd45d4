package result

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// InputKind says how Diagnose read its input.
type InputKind string

// The kinds of input Diagnose recognises.
const (
	InputEmpty      InputKind = "empty"
	InputCode       InputKind = "code"
	InputOutcome    InputKind = "fido2-client result"
	InputCloudError InputKind = "cloud api error"
	InputCloudReply InputKind = "cloud api answer"
	InputTenant     InputKind = "tenant api error"
	InputAppNative  InputKind = "app-native api error"
	InputText       InputKind = "text"
)

// maxDiagnoseInput bounds the text Diagnose reads; longer input is cut.
const maxDiagnoseInput = 64 << 10

// Diagnosis is what Diagnose makes of a pasted input.
type Diagnosis struct {
	Audience Audience  `json:"audience"`
	Kind     InputKind `json:"inputKind"`
	// Input is the input with secrets redacted (JSON re-indented).
	Input string `json:"input"`
	// Matches are the catalogue entries found in the input, in the order
	// found.
	Matches []Match `json:"matches"`
	// Causes are the likely causes, most likely first.
	Causes []RankedCause `json:"causes"`
	// Notes carry what the input adds to the codes: a trace ID, policy
	// notices, how an ambiguous code was read. All redacted.
	Notes []string `json:"notes,omitempty"`
	// Notices are the tenant API's Cedar policy notices, redacted.
	Notices []string `json:"notices,omitempty"`
	// TraceID is the app-native API's traceId, if any.
	TraceID string `json:"traceId,omitempty"`
	// lang is the language Text writes in (see In).
	lang string
}

// Match is one catalogue entry found in the input.
type Match struct {
	Entry Entry `json:"entry"`
	// Evidence is the (redacted) text the code was read from.
	Evidence string `json:"evidence"`
}

// RankedCause is a likely cause with its score and the codes behind it.
type RankedCause struct {
	Cause
	Score   int      `json:"score"`
	Because []string `json:"because,omitempty"`
}

// Top returns the most likely cause; ok is false when there is none.
func (d Diagnosis) Top() (RankedCause, bool) {
	if len(d.Causes) == 0 {
		return RankedCause{}, false
	}
	return d.Causes[0], true
}

// Diagnose explains a pasted input for the audience: a bare code
// ("error-1001", "0x31", "FIDO_ERR_PIN_INVALID", "ABA-60008",
// "tenant_mismatch", "-7", "429"), a fido2-client result object, an error
// body of the Cloud API, the tenant API or the app-native API, a browser
// console line, or any text mentioning such codes. It returns the entries
// found, the likely causes ranked (most likely first) and notes. Secrets in
// the input never reach the Diagnosis. Diagnose never fails: input it cannot
// read yields no matches and the cause "unknown-code".
func Diagnose(input string, aud Audience) Diagnosis {
	d := &diagnoser{d: Diagnosis{Audience: aud}, seen: map[Code]int{}, score: map[string]int{}, because: map[string][]string{}}
	if len(input) > maxDiagnoseInput {
		input = input[:maxDiagnoseInput]
		d.note(fmt.Sprintf("input cut to its first %d bytes", maxDiagnoseInput))
	}
	input = strings.ToValidUTF8(input, "\uFFFD")
	d.run(strings.TrimSpace(input))
	d.rank()
	return d.d
}

type diagnoser struct {
	d       Diagnosis
	seen    map[Code]int // index into d.Matches
	score   map[string]int
	because map[string][]string
	order   []string // causes in first-seen order, for stable ties
	texts   []string // free texts to scan for keywords (redacted)
}

func (d *diagnoser) note(s string) { d.d.Notes = append(d.d.Notes, s) }

// add records a match with a weight: how strongly the entry speaks for its
// causes.
func (d *diagnoser) add(c Code, evidence string, weight int) {
	if !Known(c) {
		// A generated entry shows the value verbatim: never a secret.
		c.Value = clip(Redact(c.Value), 80)
	}
	if _, dup := d.seen[c]; dup {
		return
	}
	e := Lookup(c)
	d.seen[c] = len(d.d.Matches)
	d.d.Matches = append(d.d.Matches, Match{Entry: e, Evidence: clip(Redact(evidence), 160)})
	if weight == 0 {
		weight = sourceWeight(e)
	}
	for i, id := range e.Causes {
		pts := weight * (4 - i)
		if pts < weight {
			pts = weight
		}
		d.boost(id, pts, e.Display())
	}
}

// sourceWeight ranks the sources: the specific ones (a CTAP status, a
// DOMException name, an API error code) outweigh the wrappers (the
// fido2-client's error-1001 only says which step failed) and plain HTTP.
func sourceWeight(e Entry) int {
	switch e.Code.Source {
	case SourceNevis:
		return 2
	case SourceHTTP:
		return 1
	case SourceCloudAPI:
		if e.HTTPStatus != 0 {
			return 2
		}
	}
	return 3
}

func (d *diagnoser) boost(id string, pts int, why string) {
	if _, ok := d.score[id]; !ok {
		d.order = append(d.order, id)
	}
	d.score[id] += pts
	if why != "" {
		for _, w := range d.because[id] {
			if w == why {
				return
			}
		}
		d.because[id] = append(d.because[id], why)
	}
}

func (d *diagnoser) run(in string) {
	if in == "" {
		d.d.Kind = InputEmpty
		return
	}
	red := Redact(in)
	d.d.Input = red
	if v, ok := decodeJSONObject(in); ok {
		d.d.Input = marshalIndent(redactJSON(v))
		if d.readJSON(v) {
			d.scanTexts()
			return
		}
		// Some other JSON: read its strings as text.
	}
	if d.readBareCodes(in) {
		d.d.Kind = InputCode
		return
	}
	d.d.Kind = InputText
	// A result object or error body inside a log or console line.
	if i := strings.IndexByte(in, '{'); i >= 0 && !strings.HasPrefix(in, "{") {
		for tries := 0; i >= 0 && tries < 8; tries++ {
			if v, ok := decodeJSONPrefix(in[i:]); ok && d.readJSON(v) {
				break
			}
			j := strings.IndexByte(in[i+1:], '{')
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	d.texts = append(d.texts, red)
	d.scanTexts()
}

// readBareCodes handles input made only of codes: "0x31",
// "0x31 CTAP2_ERR_PIN_INVALID", "error-1001 NotAllowedError".
func (d *diagnoser) readBareCodes(in string) bool {
	fields := strings.Fields(in)
	if len(fields) == 0 || len(fields) > 4 {
		return false
	}
	var all [][]Code
	for _, f := range fields {
		cs := ParseCode(f)
		if cs == nil {
			return false
		}
		all = append(all, cs)
	}
	for i, cs := range all {
		for _, c := range cs {
			d.add(c, fields[i], 0)
		}
		if len(cs) == 1 && cs[0].Source == SourceLibfido2 {
			if n, err := strconv.Atoi(cs[0].Value); err == nil && n >= 0 && n <= 0xFF && reInt.MatchString(fields[i]) {
				d.note(fmt.Sprintf("%s read as a libfido2 return value in decimal, which equals CTAP status 0x%02X; CTAP statuses are usually written in hex", fields[i], n))
			}
		}
		if len(cs) > 1 {
			var names []string
			for _, c := range cs {
				names = append(names, Lookup(c).Display())
			}
			d.note(fmt.Sprintf("%s can be read as %s", fields[i], strings.Join(names, " or ")))
		}
	}
	return true
}

func decodeJSONObject(s string) (any, bool) {
	if !strings.HasPrefix(s, "{") {
		return nil, false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if dec.More() {
		return nil, false
	}
	return v, true
}

func decodeJSONPrefix(s string) (map[string]any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

func str(m map[string]any, k string) (string, bool) {
	switch v := m[k].(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// readJSON reads a decoded object as one of the known shapes and reports
// whether it was one.
func (d *diagnoser) readJSON(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	// The fido2-client result object, or its code member alone.
	codeObj, _ := m["code"].(map[string]any)
	if codeObj == nil {
		if _, has := m["statusCode"]; has {
			codeObj = m
		}
	}
	if codeObj != nil {
		if sc, ok := str(codeObj, "statusCode"); ok {
			d.d.Kind = InputOutcome
			d.add(Nevis(sc), `"statusCode": "`+sc+`"`, 0)
			if cm, ok := str(codeObj, "message"); ok {
				e := Lookup(Nevis(sc))
				if !e.Generated && e.Message != "" && cm != e.Message {
					d.note(fmt.Sprintf("code.message differs from the official message of %s", sc))
				}
				d.texts = append(d.texts, Redact(cm))
			}
			if msg, ok := str(m, "message"); ok {
				d.texts = append(d.texts, Redact(msg))
			}
			succ, hasSucc := m["success"].(bool)
			if hasSucc && succ != strings.HasPrefix(strings.ToLower(sc), "success-") {
				d.note("success and code.statusCode disagree: trust statusCode, and verify the token")
			}
			if _, ok := m["token"]; ok {
				d.note("the result carries a transaction token (" + Redacted + "): verify it with the introspection endpoint; never trust success without it")
			}
			return true
		}
	}
	code, hasCode := str(m, "code")
	status, hasStatus := str(m, "status")
	_, hasTrace := m["traceId"]
	_, hasDesc := m["description"]
	_, hasNotices := m["notices"]
	_, hasDetails := m["details"]
	msg, _ := str(m, "message")
	switch {
	case hasCode && (hasTrace || hasDesc || reABA.MatchString(code) || (reInt.MatchString(code) && len(code) == 5)):
		d.d.Kind = InputAppNative
		d.readAppNative(m, code, msg)
		return true
	case hasCode && (hasNotices || hasDetails || reSnakeCode.MatchString(code) || Known(TenantAPI(code))):
		d.d.Kind = InputTenant
		d.readTenant(m, code, msg)
		return true
	case hasCode && reInt.MatchString(code) && code == "401":
		d.d.Kind = InputAppNative
		d.readAppNative(m, code, msg)
		return true
	case hasStatus && (m["error"] != nil || (msg != "" && reInt.MatchString(status))):
		d.d.Kind = InputCloudError
		n, err := strconv.Atoi(status)
		if err != nil || n < 100 || n > 599 {
			d.add(Code{SourceCloudAPI, status}, `"status": `+status, 0)
		} else if c := CloudAPI(status); Known(c) {
			d.add(c, `"status": `+status, 0)
		} else {
			d.add(HTTP(n), `"status": `+status, 0)
		}
		if e, ok := str(m, "error"); ok {
			d.texts = append(d.texts, Redact(e))
		}
		d.texts = append(d.texts, Redact(msg))
		if p, ok := str(m, "path"); ok {
			d.note("path: " + clip(Redact(p), 200))
		}
		return true
	case hasStatus && !reInt.MatchString(status):
		// POST /status, or the answer of …/attestation/result.
		d.d.Kind = InputCloudReply
		d.add(CloudAPI("status-"+status), `"status": "`+status+`"`, 0)
		if em, ok := str(m, "errorMessage"); ok {
			d.texts = append(d.texts, Redact(em))
		}
		if _, ok := m["token"]; ok {
			d.note("the answer carries a token (" + Redacted + ")")
		}
		return true
	}
	if a, ok := m["active"].(bool); ok {
		d.d.Kind = InputCloudReply
		if !a {
			d.add(CodeTokenInactive, `"active": false`, 0)
		} else {
			d.note("introspection: the token is active")
			d.boost("success", 3, "active token")
		}
		return true
	}
	if em, ok := str(m, "errorMessage"); ok {
		d.d.Kind = InputCloudReply
		d.texts = append(d.texts, Redact(em))
		return true
	}
	return false
}

func (d *diagnoser) readAppNative(m map[string]any, code, msg string) {
	c := AppNative(code)
	if t, ok := str(m, "traceId"); ok {
		d.d.TraceID = clip(Redact(t), 100)
		d.note("traceId: " + d.d.TraceID + " (give it to the service's operators)")
	}
	// The vendor's table prints 60007 as 60008: trust the message.
	if c.Value == "60008" && strings.EqualFold(strings.TrimSpace(msg), Lookup(AppNative("60007")).Message) {
		d.note("code 60008 with the message of 60007: the vendor's table lists 60007 as 60008; read as ABA-60007")
		c = AppNative("60007")
	}
	d.add(c, `"code": "`+code+`"`, 0)
	if e := Lookup(c); !e.Generated && msg != "" && !strings.EqualFold(strings.TrimSpace(msg), e.Message) {
		d.note("message differs from the official message of " + e.Display())
	}
	if desc, ok := str(m, "description"); ok {
		d.texts = append(d.texts, Redact(desc))
	}
	d.texts = append(d.texts, Redact(msg))
}

func (d *diagnoser) readTenant(m map[string]any, code, msg string) {
	if code != "" {
		d.add(TenantAPI(code), `"code": "`+code+`"`, 0)
	}
	// The API documents some errors by message only.
	for _, e := range Entries(SourceTenantAPI) {
		if e.Message != "" && strings.EqualFold(strings.TrimSpace(msg), e.Message) {
			d.add(e.Code, `"message": "`+msg+`"`, 4)
		}
	}
	if ns, ok := m["notices"].([]any); ok {
		for _, n := range ns {
			if s, ok := n.(string); ok && s != "" {
				r := clip(Redact(s), 300)
				d.d.Notices = append(d.d.Notices, r)
				d.note("policy notice: " + r)
			}
		}
		if len(d.d.Notices) > 0 {
			d.boost("policy-denied", 2, "policy notices")
		}
	}
	if det, ok := m["details"].(map[string]any); ok && len(det) > 0 {
		b, err := json.Marshal(redactJSON(det))
		if err == nil {
			d.note("details: " + clip(string(b), 300))
		}
	}
	d.texts = append(d.texts, Redact(msg))
}

// Text scanning: codes and browser messages inside free text.
var (
	reScanNevis  = regexp.MustCompile(`(?i)\b(success-registration|success-authentication|error-\d{4})\b`)
	reScanCTAP   = regexp.MustCompile(`\bCTAP[12]_(?:ERR_[A-Z0-9_]+|OK)\b`)
	reScanFIDO   = regexp.MustCompile(`\bFIDO_(?:ERR_[A-Z0-9_]+|OK)\b`)
	reScanHex    = regexp.MustCompile(`(?i)(?:^|[^0-9a-z])(0x[0-9a-f]{1,2})\b`)
	reScanABA    = regexp.MustCompile(`(?i)\bABA-\d{5}\b`)
	reScanLibErr = regexp.MustCompile(`(?i)\b(?:libfido2 error|fido_strerr\(?|fido error)[ :=(]*(-?\d{1,3})\b`)
	reScanGoFIDO = regexp.MustCompile(`failed to [a-z ]+: ([a-z ]+(?:cbor|CBOR)?)`)
	reScanHTTP   = regexp.MustCompile(`(?i)\b(?:HTTP(?:/\d(?:\.\d)?)?|status(?: code)?)[ :=]*([1-5]\d\d)\b`)
	reScanTenant = regexp.MustCompile(`\b(tenant_mismatch|not_found|unauthenticated|no_pending_enrollment|not_implemented)\b`)
	reScanKD     = regexp.MustCompile(`\bkeydesk:([a-z-]+)\b`)
	reScanDOM    *regexp.Regexp
)

// goLibfido2Errors maps go-libfido2's error texts to libfido2 values.
var goLibfido2Errors = map[string]int{
	"tx error": -1, "rx error": -2, "rx not cbor": -3, "rx invalid cbor": -4,
	"invalid argument": -7, "user presence required": -8, "internal error": -9,
	"invalid command": 0x01, "invalid length": 0x03, "missing parameter": 0x14,
	"invalid credential": 0x22, "operation denied": 0x27, "unsupported option": 0x2b,
	"invalid option": 0x2c, "keep alive cancel": 0x2d, "no credentials": 0x2e,
	"not allowed": 0x30, "pin invalid": 0x31, "pin auth blocked": 0x34, "pin not set": 0x35,
	"pin required": 0x36, "pin policy violation": 0x37, "action timed out": 0x3a,
	"up required": 0x3b, "other error": 0x7f,
}

// browserMessages maps what browsers write after "DOMException:" to the
// exception's name.
var browserMessages = []struct{ fragment, name string }{
	{"operation either timed out or was not allowed", "NotAllowedError"},
	{"not allowed by the user agent or the platform", "NotAllowedError"},
	{"request has been cancelled by the user", "NotAllowedError"},
	{"credentials already registered with the relying party", "InvalidStateError"},
	{"is not, or is no longer, usable", "InvalidStateError"},
	{"not a registrable domain suffix", "SecurityError"},
	{"the operation is insecure", "SecurityError"},
	{"is invalid for this domain", "SecurityError"},
	{"the operation was aborted", "AbortError"},
	{"signal is aborted", "AbortError"},
	{"algorithms specified in `pubkeycredparams` are supported", "NotSupportedError"},
	{"unknown transient reason", "UnknownError"},
	{"failed to execute 'create' on 'credentialscontainer'", "TypeError"},
	{"failed to execute 'get' on 'credentialscontainer'", "TypeError"},
}

// keywords nudge the ranking when a free text says more than its codes.
var keywords = []struct {
	re    *regexp.Regexp
	cause string
	pts   int
}{
	{regexp.MustCompile(`(?i)already registered|credential excluded|excludeCredentials`), "already-registered", 10},
	{regexp.MustCompile(`(?i)timed out|time ?out|took too long`), "timed-out-or-cancelled", 3},
	{regexp.MustCompile(`(?i)\bcancel+ed\b`), "cancelled", 2},
	{regexp.MustCompile(`(?i)\bPIN\b`), "pin-problem", 2},
	{regexp.MustCompile(`(?i)not registered|no credentials|unknown credential|credential not found`), "key-not-registered", 5},
	{regexp.MustCompile(`(?i)relying party id|\brp ?id\b|registrable domain`), "rp-id-mismatch", 5},
	{regexp.MustCompile(`(?i)failed to fetch|network ?error|ERR_NAME_NOT_RESOLVED|ERR_CONNECTION|ECONNREFUSED|connection refused|no such host|ERR_INTERNET_DISCONNECTED`), "network-problem", 6},
	{regexp.MustCompile(`(?i)statusToken.{0,20}(expired|invalid|unknown)|(expired|invalid|unknown).{0,20}statusToken`), "server-rejected", 4},
}

func init() {
	var names []string
	for _, e := range Entries(SourceDOMException) {
		names = append(names, regexp.QuoteMeta(e.Name))
	}
	reScanDOM = regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\b`)
}

func (d *diagnoser) scanTexts() {
	for _, t := range d.texts {
		d.scan(t)
	}
}

// scan finds codes in a redacted free text and applies the keyword nudges.
func (d *diagnoser) scan(t string) {
	if t == "" {
		return
	}
	for _, m := range reScanNevis.FindAllString(t, 8) {
		d.add(Nevis(m), m, 0)
	}
	for _, m := range reScanCTAP.FindAllString(t, 8) {
		for _, c := range ParseCode(m) {
			d.add(c, m, 0)
		}
	}
	for _, m := range reScanFIDO.FindAllString(t, 8) {
		for _, c := range ParseCode(m) {
			d.add(c, m, 0)
		}
	}
	for _, m := range reScanHex.FindAllStringSubmatch(t, 8) {
		for _, c := range ParseCode(m[1]) {
			if !d.hasSameValue(c) {
				d.add(c, m[1], 0)
			}
		}
	}
	for _, m := range reScanABA.FindAllString(t, 8) {
		d.add(AppNative(m), m, 0)
	}
	for _, m := range reScanLibErr.FindAllStringSubmatch(t, 8) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			d.add(Libfido2(n), m[0], 0)
		}
	}
	for _, m := range reScanGoFIDO.FindAllStringSubmatch(t, 8) {
		if n, ok := goLibfido2Errors[strings.ToLower(strings.TrimSpace(m[1]))]; ok {
			d.add(Libfido2(n), m[0], 0)
		}
	}
	for _, m := range reScanDOM.FindAllString(t, 8) {
		d.add(DOMException(m), m, 0)
	}
	lower := strings.ToLower(t)
	for _, bm := range browserMessages {
		if i := strings.Index(lower, bm.fragment); i >= 0 {
			d.add(DOMException(bm.name), t[i:i+len(bm.fragment)], 0)
		}
	}
	if strings.Contains(lower, "no pending enrollment") {
		d.add(TenantAPI("no_pending_enrollment"), "No pending enrollment", 4)
	}
	for _, m := range reScanTenant.FindAllString(t, 8) {
		d.add(TenantAPI(m), m, 0)
	}
	for _, m := range reScanKD.FindAllStringSubmatch(t, 8) {
		d.add(KeyDesk(m[1]), m[0], 0)
	}
	for _, m := range reScanHTTP.FindAllStringSubmatch(t, 8) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			if !d.hasHTTP(n) {
				d.add(HTTP(n), m[0], 0)
			}
		}
	}
	for _, k := range keywords {
		if k.re.MatchString(t) {
			d.boost(k.cause, k.pts, "")
		}
	}
}

// hasSameValue reports whether a libfido2 match already stands for the
// CTAP status c (FIDO_ERR_PIN_INVALID next to 0x31).
func (d *diagnoser) hasSameValue(c Code) bool {
	for _, rc := range Lookup(c).Related {
		if _, ok := d.seen[rc]; ok {
			return true
		}
	}
	return false
}

func (d *diagnoser) hasHTTP(n int) bool {
	for _, m := range d.d.Matches {
		if m.Entry.HTTPStatus == n {
			return true
		}
	}
	return false
}

func (d *diagnoser) rank() {
	if len(d.d.Matches) == 0 && len(d.score) == 0 {
		if d.d.Kind != InputEmpty {
			d.boost("unknown-code", 1, "")
		}
	}
	// The success cause is only credible when no failure was seen.
	if _, ok := d.score["success"]; ok {
		for _, m := range d.d.Matches {
			if m.Entry.Kind == KindError {
				delete(d.score, "success")
				break
			}
		}
	}
	ids := make([]string, 0, len(d.score))
	pos := map[string]int{}
	for i, id := range d.order {
		if _, ok := d.score[id]; ok {
			ids = append(ids, id)
			pos[id] = i
		}
	}
	sort.SliceStable(ids, func(i, j int) bool {
		a, b := d.score[ids[i]], d.score[ids[j]]
		if a != b {
			return a > b
		}
		return pos[ids[i]] < pos[ids[j]]
	})
	for _, id := range ids {
		c, ok := CauseByID(id)
		if !ok {
			continue
		}
		d.d.Causes = append(d.d.Causes, RankedCause{Cause: c, Score: d.score[id], Because: d.because[id]})
	}
	if d.d.Matches == nil {
		d.d.Matches = []Match{}
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// Text renders the diagnosis for its audience as plain text.
func (d Diagnosis) Text() string {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if d.Kind == InputEmpty {
		w("%s", d.say("Nothing to explain: paste a code, a result object, an error body or a console line.\n"))
		return b.String()
	}
	top, _ := d.Top()
	if d.Audience == Helpdesk {
		w(d.say("Read as: %s\n"), d.say(string(d.Kind)))
		if d.Input != "" {
			w(d.say("Input (secrets redacted):\n%s\n"), indent(clip(d.Input, 2000), "  "))
		}
		w("%s", d.say("\nCodes found:\n"))
		if len(d.Matches) == 0 {
			w("%s", d.say("  none\n"))
		}
		for _, m := range d.Matches {
			e := m.Entry
			w(d.say("  %s\n"), e.Title())
			w(d.say("%s\n"), indent(wrap(e.Explanation, 76), "      "))
			if e.HTTPStatus != 0 && e.Code.Source != SourceHTTP {
				w(d.say("      HTTP status: %d\n"), e.HTTPStatus)
			}
			w(d.say("%s\n"), indent(wrap(d.say("Check: ")+e.HelpdeskText, 76), "      "))
		}
		w("%s", d.say("\nLikely causes, most likely first:\n"))
		for i, c := range d.Causes {
			w(d.say("  %d. %s"), i+1, c.Summary)
			if len(c.Because) > 0 {
				w(d.say(" (from %s)"), strings.Join(c.Because, ", "))
			}
			w(d.say("\n%s\n"), indent(wrap(c.HelpdeskText, 76), "     "))
		}
		if len(d.Notes) > 0 {
			w("%s", d.say("\nNotes:\n"))
			for _, n := range d.Notes {
				w(d.say("  - %s\n"), n)
			}
		}
		return b.String()
	}
	if len(d.Matches) > 0 {
		var titles []string
		for _, m := range d.Matches {
			titles = append(titles, m.Entry.Display())
		}
		w(d.say("Code: %s\n"), strings.Join(titles, ", "))
	}
	if top.ID != "" {
		w(d.say("Most likely: %s.\n"), top.Summary)
		w(d.say("What to do: %s\n"), top.UserText)
	}
	if len(d.Causes) > 1 {
		w("%s", d.say("Other possible causes:\n"))
		for _, c := range d.Causes[1:] {
			w(d.say("  - %s\n"), c.Summary)
		}
	}
	for _, n := range d.Notices {
		w(d.say("Policy notice: %s\n"), n)
	}
	return b.String()
}

func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// wrap breaks s into lines of at most width bytes at spaces.
func wrap(s string, width int) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			if line != "" && len(line)+1+len(w) > width {
				out = append(out, line)
				line = w
				continue
			}
			if line == "" {
				line = w
			} else {
				line += " " + w
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
