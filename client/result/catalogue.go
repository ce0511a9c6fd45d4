package result

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed catalogue/*.json
var catalogueFS embed.FS

// catalogueFiles are read in documentation order.
var catalogueFiles = []string{"nevis", "ctap", "libfido2", "http", "cloudapi", "tenant", "appnative", "dom", "keydesk"}

type catalogue struct {
	entries map[Code]Entry
	order   []Code
	causes  map[string]Cause
	// names maps a lowercase name or alias to the codes that carry it.
	names map[string][]Code
}

// fileEntry is one entry as written in catalogue/*.json.
type fileEntry struct {
	Value       string   `json:"value"`
	Name        string   `json:"name"`
	Kind        Kind     `json:"kind"`
	Message     string   `json:"message"`
	Explanation string   `json:"explanation"`
	User        string   `json:"user"`
	Helpdesk    string   `json:"helpdesk"`
	HTTP        int      `json:"http"`
	Aliases     []string `json:"aliases"`
	Causes      []string `json:"causes"`
	CTAP        string   `json:"ctap"` // libfido2 only: the CTAP status it equals
}

type file struct {
	Source    Source      `json:"source"`
	Reference string      `json:"reference"`
	Entries   []fileEntry `json:"entries"`
}

var (
	catOnce sync.Once
	catVal  *catalogue
)

func cat() *catalogue {
	catOnce.Do(func() {
		k, err := loadCatalogue()
		if err != nil {
			// The data is embedded and checked by the tests: a failure here
			// is a build defect, not a runtime condition.
			panic("result: " + err.Error())
		}
		catVal = k
	})
	return catVal
}

func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

func loadCatalogue() (*catalogue, error) {
	k := &catalogue{entries: map[Code]Entry{}, causes: map[string]Cause{}, names: map[string][]Code{}}
	b, err := catalogueFS.ReadFile("catalogue/causes.json")
	if err != nil {
		return nil, err
	}
	var causes []Cause
	if err := decodeStrict(b, &causes); err != nil {
		return nil, fmt.Errorf("causes.json: %w", err)
	}
	for _, c := range causes {
		if _, dup := k.causes[c.ID]; dup {
			return nil, fmt.Errorf("causes.json: duplicate cause %q", c.ID)
		}
		k.causes[c.ID] = c
	}
	files := map[Source]file{}
	for _, name := range catalogueFiles {
		b, err := catalogueFS.ReadFile("catalogue/" + name + ".json")
		if err != nil {
			return nil, err
		}
		var f file
		if err := decodeStrict(b, &f); err != nil {
			return nil, fmt.Errorf("%s.json: %w", name, err)
		}
		files[f.Source] = f
	}
	for _, s := range Sources() {
		f, ok := files[s]
		if !ok {
			return nil, fmt.Errorf("no catalogue file for source %s", s)
		}
		if err := k.addFile(f); err != nil {
			return nil, err
		}
		switch s {
		case SourceCTAP:
			k.fillCTAP(f.Reference)
		case SourceHTTP:
			k.fillHTTP(f.Reference)
		}
	}
	k.sortOrder()
	for _, c := range k.order {
		e := k.entries[c]
		if len(e.Causes) == 0 {
			return nil, fmt.Errorf("%s: no causes", c)
		}
		for _, id := range e.Causes {
			if _, ok := k.causes[id]; !ok {
				return nil, fmt.Errorf("%s: unknown cause %q", c, id)
			}
		}
		first := k.causes[e.Causes[0]]
		if e.UserText == "" {
			e.UserText = first.UserText
		}
		if e.HelpdeskText == "" {
			e.HelpdeskText = first.HelpdeskText
		}
		if e.Explanation == "" {
			return nil, fmt.Errorf("%s: no explanation", c)
		}
		k.entries[c] = e
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			k.addName(n, c)
		}
	}
	return k, nil
}

func (k *catalogue) addName(n string, c Code) {
	key := strings.ToLower(n)
	for _, have := range k.names[key] {
		if have == c {
			return
		}
	}
	k.names[key] = append(k.names[key], c)
}

func (k *catalogue) add(e Entry) error {
	if _, dup := k.entries[e.Code]; dup {
		return fmt.Errorf("duplicate entry %s", e.Code)
	}
	k.entries[e.Code] = e
	k.order = append(k.order, e.Code)
	return nil
}

func (k *catalogue) addFile(f file) error {
	for _, fe := range f.Entries {
		c, err := normalise(f.Source, fe.Value)
		if err != nil {
			return err
		}
		e := Entry{
			Code: c, Name: fe.Name, Kind: fe.Kind, Message: fe.Message,
			Explanation: fe.Explanation, UserText: fe.User, HelpdeskText: fe.Helpdesk,
			HTTPStatus: fe.HTTP, Aliases: fe.Aliases, Causes: fe.Causes, Reference: f.Reference,
		}
		if e.Kind == "" {
			e.Kind = KindError
		}
		if e.Name == "" {
			e.Name = c.Value
		}
		switch f.Source {
		case SourceHTTP:
			n, _ := strconv.Atoi(c.Value)
			e.HTTPStatus = n
			e.Message = http.StatusText(n)
			if e.Message == "" {
				return fmt.Errorf("%s: not an HTTP status", c)
			}
		case SourceAppNative:
			if c.Value != "401" {
				e.Aliases = append(e.Aliases, "ABA-"+c.Value)
			}
		case SourceLibfido2:
			if fe.CTAP != "" {
				cc, err := normalise(SourceCTAP, fe.CTAP)
				if err != nil {
					return err
				}
				ce, ok := k.entries[cc]
				if !ok {
					return fmt.Errorf("%s: no CTAP entry %s", c, cc)
				}
				e.Kind = ce.Kind
				e.Message = fe.Name
				e.Explanation = fmt.Sprintf("libfido2's name for CTAP status %s (%s): %s", ce.Code.Value, ce.Name, ce.Explanation)
				e.UserText, e.HelpdeskText, e.Causes = ce.UserText, ce.HelpdeskText, ce.Causes
				e.Related = []Code{cc}
				ce.Related = append(ce.Related, c)
				k.entries[cc] = ce
			}
		}
		if err := k.add(e); err != nil {
			return err
		}
	}
	return nil
}

// fillCTAP gives every status byte without an entry of its own the entry of
// its range: 0x00–0xDF not assigned are reserved, 0xE0–0xEF are extension
// errors, 0xF0–0xFF vendor errors.
func (k *catalogue) fillCTAP(ref string) {
	for v := 0; v <= 0xFF; v++ {
		c := CTAP(byte(v))
		if _, ok := k.entries[c]; ok {
			continue
		}
		e := Entry{Code: c, Kind: KindReserved, Reference: ref, Causes: []string{"key-internal-error"}}
		switch {
		case v == 0xDF:
			e.Name = "CTAP2_ERR_SPEC_LAST"
			e.Message = "CTAP 2 spec last error."
			e.Explanation = "The last value CTAP reserves for its own errors; a key does not normally return it."
		case v == 0xE0:
			e.Name, e.Kind = "CTAP2_ERR_EXTENSION_FIRST", KindExtension
			e.Message = "Extension specific error."
		case v == 0xEF:
			e.Name, e.Kind = "CTAP2_ERR_EXTENSION_LAST", KindExtension
			e.Message = "Extension specific error."
		case v == 0xF0:
			e.Name, e.Kind = "CTAP2_ERR_VENDOR_FIRST", KindVendor
			e.Message = "Vendor specific error."
		case v == 0xFF:
			e.Name, e.Kind = "CTAP2_ERR_VENDOR_LAST", KindVendor
			e.Message = "Vendor specific error."
		case v > 0xE0 && v < 0xEF:
			e.Kind = KindExtension
		case v > 0xF0 && v < 0xFF:
			e.Kind = KindVendor
		}
		switch e.Kind {
		case KindExtension:
			e.Explanation = "An error defined by a CTAP extension (range 0xE0–0xEF): its meaning depends on the extension in use."
		case KindVendor:
			e.Explanation = "A vendor-specific error (range 0xF0–0xFF): its meaning is defined by the key's manufacturer."
		default:
			if e.Explanation == "" {
				e.Explanation = "A value CTAP 2.1 reserves for future use: no conforming key returns it, so the key's firmware is non-standard or the answer was corrupted."
			}
		}
		if e.Name == "" {
			e.Name = fmt.Sprintf("0x%02X", v)
		}
		k.entries[c] = e
		k.order = append(k.order, c)
	}
}

// fillHTTP gives every status Go knows an entry; the catalogue file only
// writes the explanations of the ones KeyDesk meets.
func (k *catalogue) fillHTTP(ref string) {
	for n := 100; n <= 599; n++ {
		t := http.StatusText(n)
		if t == "" {
			continue
		}
		c := HTTP(n)
		if _, ok := k.entries[c]; ok {
			continue
		}
		e := Entry{Code: c, Name: c.Value, Message: t, HTTPStatus: n, Reference: ref, Kind: KindError}
		switch {
		case n < 200:
			e.Kind, e.Causes = KindStatus, []string{"unexpected"}
			e.Explanation = "An informational answer; it is not an error by itself."
		case n < 300:
			e.Kind, e.Causes = KindSuccess, []string{"success"}
			e.Explanation = "The request succeeded."
		case n < 400:
			e.Kind, e.Causes = KindStatus, []string{"unexpected"}
			e.Explanation = "A redirection: the API does not redirect, so a proxy, a captive portal or a wrong instance URL is answering."
		case n < 500:
			e.Causes = []string{"bad-request"}
			e.Explanation = "The server refused the request (client error)."
		default:
			e.Causes = []string{"server-error"}
			e.Explanation = "The server failed to handle the request (server error)."
		}
		k.entries[c] = e
		k.order = append(k.order, c)
	}
}

func (k *catalogue) sortOrder() {
	rank := map[Source]int{}
	for i, s := range Sources() {
		rank[s] = i
	}
	pos := map[Code]int{}
	for i, c := range k.order {
		pos[c] = i
	}
	sort.SliceStable(k.order, func(i, j int) bool {
		a, b := k.order[i], k.order[j]
		if a.Source != b.Source {
			return rank[a.Source] < rank[b.Source]
		}
		switch a.Source {
		case SourceCTAP, SourceHTTP:
			return numValue(a) < numValue(b)
		}
		return pos[a] < pos[b]
	})
}

func numValue(c Code) int64 {
	n, _ := strconv.ParseInt(c.Value, 0, 64)
	return n
}

// normalise checks and normalises a value as its source writes it.
func normalise(s Source, v string) (Code, error) {
	switch s {
	case SourceNevis:
		return Nevis(v), nil
	case SourceCTAP:
		n, err := strconv.ParseUint(strings.TrimSpace(v), 0, 8)
		if err != nil {
			return Code{}, fmt.Errorf("bad CTAP status %q", v)
		}
		return CTAP(byte(n)), nil
	case SourceLibfido2:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return Code{}, fmt.Errorf("bad libfido2 value %q", v)
		}
		return Libfido2(n), nil
	case SourceHTTP:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 100 || n > 599 {
			return Code{}, fmt.Errorf("bad HTTP status %q", v)
		}
		return HTTP(n), nil
	case SourceCloudAPI:
		return CloudAPI(v), nil
	case SourceTenantAPI:
		return TenantAPI(v), nil
	case SourceAppNative:
		return AppNative(v), nil
	case SourceDOMException:
		return DOMException(v), nil
	case SourceKeyDesk:
		return KeyDesk(v), nil
	}
	return Code{}, fmt.Errorf("unknown source %q", s)
}
