// Package assets holds KeyDesk's embedded data: the application icon here,
// the AAGUID table (assets/aaguid), the generated code reference
// (assets/docs) and the screenshots the README shows.
package assets

import _ "embed"

// Icon is KeyDesk's application icon (256×256 PNG), also named in
// FyneApp.toml for `fyne package`.
//
//go:embed icon.png
var Icon []byte
