// Package aaguid is KeyDesk's offline table of authenticator models: AAGUID
// to the model's name, built from a public source that allows
// redistribution (see SOURCE.md beside the data).
package aaguid

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

//go:embed models.json
var modelsJSON []byte

// Source names where the table comes from, for the UI and reports.
const Source = "Microsoft Learn, \"Microsoft Entra ID attestation for FIDO2 security key vendors\" (FIDO MDS 285), CC BY 4.0"

type file struct {
	Source string            `json:"source"`
	Models map[string]string `json:"models"`
}

var (
	once   sync.Once
	models map[string]string
)

func load() {
	var f file
	if err := json.Unmarshal(modelsJSON, &f); err != nil {
		panic("aaguid: models.json: " + err.Error())
	}
	models = make(map[string]string, len(f.Models))
	for k, v := range f.Models {
		models[strings.ToLower(k)] = v
	}
}

// Model returns the model name for an AAGUID in its textual form
// (8-4-4-4-12 hex digits, any case); ok is false when it is not known.
func Model(aaguid string) (name string, ok bool) {
	once.Do(load)
	name, ok = models[strings.ToLower(strings.TrimSpace(aaguid))]
	return name, ok
}

// Len is the number of models in the table.
func Len() int {
	once.Do(load)
	return len(models)
}
