package ctap

// Authenticator configuration (CTAP 2.1 §6.11 authenticatorConfig): enable
// enterprise attestation, toggle alwaysUv, set a minimum PIN length. Only
// the predicate is here so far; the operations come with issue 17.

// ConfigSupported reports whether a key with this getInfo accepts
// authenticatorConfig: it lists the authnrCfg option as true. As
// python-fido2's Config.is_supported.
func ConfigSupported(info *Info) bool { return info != nil && info.Options["authnrCfg"] }
