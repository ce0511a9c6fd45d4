package virtualkey

// getInfo is authenticatorGetInfo (CTAP 2.1 §6.4). clientPin says whether a
// PIN is set; there is no "uv" option because the key has no built-in user
// verification. Both credMgmt and credentialMgmtPreview are true: libfido2
// 1.12 sends the preview command 0x41, newer clients 0x0A. Options.NoClientPIN
// and NoCredMgmt take the features out; Options.Profile answers as a
// family of real keys does (profile.go).
func (k *Key) getInfo() []byte {
	prof := k.opts.Profile
	protos := make([]int, len(k.opts.PINProtocols))
	copy(protos, k.opts.PINProtocols)
	options := map[string]bool{
		"rk":                    prof.residentKeys(),
		"up":                    true,
		"plat":                  false,
		"clientPin":             k.st.PINHash != nil,
		"credMgmt":              true,
		"credentialMgmtPreview": true,
		"pinUvAuthToken":        prof.pinUvAuthToken(),
		"makeCredUvNotRqd":      prof.makeCredUvNotRqd(),
	}
	for name, on := range options {
		if !on && name != "rk" && name != "plat" && name != "clientPin" {
			delete(options, name) // a feature the key lacks is not listed
		}
	}
	if prof == ProfileCTAP21Pre {
		delete(options, "credMgmt")
	}
	if k.opts.NoClientPIN {
		delete(options, "clientPin")
		delete(options, "pinUvAuthToken")
	}
	if k.opts.NoCredMgmt {
		delete(options, "credMgmt")
		delete(options, "credentialMgmtPreview")
	}
	info := map[int]any{
		0x01: prof.versions(),
		0x02: []string{"credProtect", "hmac-secret"},
		0x03: k.st.AAGUID,
		0x04: options,
		0x05: MaxMsgSize,
		0x06: protos,
		0x07: MaxCredentialCountInList,
		0x08: MaxCredentialIDLength,
		0x09: []string{"usb"},
		0x0A: []map[string]any{{"alg": algES256, "type": "public-key"}, {"alg": algEdDSA, "type": "public-key"}},
		0x0D: MinPINLength,
		0x0E: FirmwareVersion,
		0x14: k.remaining(),
	}
	switch prof {
	case ProfileCTAP20:
		// CTAP 2.0 §5.4 defines members 0x01–0x06 only.
		for m := range info {
			if m > 0x06 {
				delete(info, m)
			}
		}
		info[0x02] = []string{"hmac-secret"}
	case ProfileCTAP21Pre:
		// As the YubiKey 5 NFC 5.4.3 dump (Yubico/libfido2 #686): no
		// remaining-credentials count, its own firmware version.
		delete(info, 0x14)
		info[0x09] = []string{"nfc", "usb"}
		info[0x0E] = 0x50403
	}
	if k.opts.NoClientPIN {
		delete(info, 0x06) // no PIN/UV auth protocol
	}
	return reply(info)
}

// remaining is how many more discoverable credentials fit.
func (k *Key) remaining() int { return max(0, k.opts.MaxResident-len(k.st.Creds)) }
