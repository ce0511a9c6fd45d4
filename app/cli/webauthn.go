package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/keydesk/keydesk/client/cloud"
	"github.com/keydesk/keydesk/client/webauthn"
	"github.com/keydesk/keydesk/client/webauthn/options"
	"github.com/keydesk/keydesk/ctap"
)

func init() {
	register(Command{Name: "webauthn", Summary: wordSummaryWebauthn.en, Run: runWebAuthn})
}

// maxOptionsSize bounds an options file: real ones are a few KiB.
const maxOptionsSize = 1 << 20

func runWebAuthn(args []string, s IO) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(s.Err, helpText("webauthn"))
		return 0
	}
	if len(args) == 0 || (args[0] != "create" && args[0] != "get") {
		return usageFail(s, errors.New(helpText("webauthn")))
	}
	sub := args[0]
	var optsPath, origin *string
	var raw []byte
	flags := func(fs *flag.FlagSet) func() int {
		optsPath = fs.String("options", "", wordFlagWebauthnOptions.en)
		origin = fs.String("origin", "", wordFlagWebauthnOrigin.en)
		return func() int {
			// A lone "-" means the options come from standard input.
			if *optsPath == "" && fs.NArg() == 1 && fs.Arg(0) == "-" {
				*optsPath = "-"
			} else if fs.NArg() > 0 {
				return usageFail(s, wordUnexpectedArg.err("webauthn", fs.Arg(0)))
			}
			if *optsPath == "" || *origin == "" {
				return usageFail(s, wordWebAuthnNeeds.err())
			}
			var err error
			if raw, err = readOptions(s, *optsPath); err != nil {
				return fail(s, err)
			}
			if _, err := webauthn.ParseOrigin(*origin); err != nil {
				return fail(s, err)
			}
			return 0
		}
	}
	return keyCommand("webauthn "+sub, args[1:], s, flags, func(ctx context.Context, dev *ctap.Device, _ deviceFlags) int {
		var cred *webauthn.PublicKeyCredential
		var err error
		if sub == "create" {
			var o *options.PublicKeyCredentialCreationOptionsJSON
			if o, err = creationOptions(raw); err != nil {
				return fail(s, wordBadCreation.err(err))
			}
			cred, err = webauthn.Create(ctx, dev, *origin, o, termPrompter{s}, webauthn.StepTimes{})
		} else {
			var o options.PublicKeyCredentialRequestOptionsJSON
			if err := json.Unmarshal(raw, &o); err != nil {
				return fail(s, wordBadRequest.err(err))
			}
			cred, err = webauthn.Get(ctx, dev, *origin, &o, termPrompter{s}, webauthn.StepTimes{})
		}
		if err != nil {
			return fail(s, err)
		}
		return writeJSON(s.Out, cred)
	})
}

// creationOptions decodes standard PublicKeyCredentialCreationOptionsJSON,
// or the Cloud's credentialCreationOptions pasted as they came (their
// relying party is "relyingParty"), which client/cloud maps into the
// standard type.
func creationOptions(raw []byte) (*options.PublicKeyCredentialCreationOptionsJSON, error) {
	var spelling struct {
		RelyingParty json.RawMessage `json:"relyingParty"`
	}
	if json.Unmarshal(raw, &spelling) == nil && spelling.RelyingParty != nil {
		var o cloud.CredentialCreationOptions
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, err
		}
		return &o.PublicKeyCredentialCreationOptionsJSON, nil
	}
	var o options.PublicKeyCredentialCreationOptionsJSON
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// readOptions reads the options and unwraps {"publicKey": …} (what
// navigator.credentials takes, and go-webauthn's Begin* return).
func readOptions(s IO, path string) ([]byte, error) {
	var r io.Reader = s.In
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, wordReadingOptions.err(err)
		}
		defer f.Close()
		r = f
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxOptionsSize+1))
	if err != nil {
		return nil, wordReadingOptions.err(err)
	}
	if len(raw) > maxOptionsSize {
		return nil, wordOptionsTooBig.err(maxOptionsSize)
	}
	var wrapper struct {
		PublicKey json.RawMessage `json:"publicKey"`
	}
	if json.Unmarshal(raw, &wrapper) == nil && len(bytes.TrimSpace(wrapper.PublicKey)) > 0 {
		return wrapper.PublicKey, nil
	}
	return raw, nil
}
