package virtualkey

// getInfo is authenticatorGetInfo (CTAP 2.1 §6.4). clientPin says whether a
// PIN is set; there is no "uv" option because the key has no built-in user
// verification. Both credMgmt and credentialMgmtPreview are true: libfido2
// 1.12 sends the preview command 0x41, newer clients 0x0A. Options.NoClientPIN
// and NoCredMgmt take the features out.
func (k *Key) getInfo() []byte {
	protos := make([]int, len(k.opts.PINProtocols))
	copy(protos, k.opts.PINProtocols)
	options := map[string]bool{
		"rk":                    true,
		"up":                    true,
		"plat":                  false,
		"clientPin":             k.st.PINHash != nil,
		"credMgmt":              true,
		"credentialMgmtPreview": true,
		"pinUvAuthToken":        true,
		"makeCredUvNotRqd":      true,
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
		0x01: []string{"FIDO_2_0", "FIDO_2_1"},
		0x02: []string{"credProtect", "hmac-secret"},
		0x03: AAGUID[:],
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
	if k.opts.NoClientPIN {
		delete(info, 0x06) // no PIN/UV auth protocol
	}
	return reply(info)
}

// remaining is how many more discoverable credentials fit.
func (k *Key) remaining() int { return max(0, k.opts.MaxResident-len(k.st.Creds)) }
