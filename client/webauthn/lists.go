package webauthn

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/keydesk/keydesk/client/result"
	"github.com/keydesk/keydesk/client/safetext"
	"github.com/keydesk/keydesk/ctap"
)

// Request shaping, as browsers do it before a key sees the options: long
// names are cut, long credential lists are sent in the batches the key
// announced (getInfo maxCredentialCountInList and maxMsgSize), and lists no
// client should walk are refused. A key handed more than it can take
// answers with an error libfido2 reads as a lost connection.

// MaxEntityName is how many bytes of rp.name, user.name and
// user.displayName reach the key: CTAP 2.1 §6.1.2 lets a key cut them at
// 64 bytes, and Chromium cuts them there itself.
const MaxEntityName = 64

// MaxCredentialList is the most distinct credential IDs an
// allowCredentials or excludeCredentials list may hold. Each batch is one
// round trip to the key (a silent pre-flight, about 10-50 ms on a USB key;
// with the usual 8 per batch, 1000 IDs are 125 round trips, a few seconds),
// and no account has a thousand keys: a longer list is a broken or hostile
// relying party, refused before the key is touched.
const MaxCredentialList = 1000

// defaultMaxMsgSize is CTAP's message size for a key that does not say.
const defaultMaxMsgSize = 1024

// descriptorCost is what one {"id": …, "type": "public-key"} adds to a
// request besides the ID bytes.
const descriptorCost = 24

// truncateName cuts s to MaxEntityName bytes on a UTF-8 boundary.
func truncateName(s string) string { return safetext.Cut(s, MaxEntityName) }

// errListTooLong refuses a credential list of n distinct IDs.
func errListTooLong(field string, n int) error {
	return &DOMError{Name: NotSupportedError,
		Message: "The request lists more credentials than a security key can be asked about.",
		Cause:   result.Errorf(result.CodeCredentialListTooLong, "%s lists %d distinct credentials, more than the %d KeyDesk checks", field, n, MaxCredentialList)}
}

// uniqueIDs drops repeated IDs, keeping the first occurrence's order.
func uniqueIDs(ids [][]byte) [][]byte {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[string(id)] {
			seen[string(id)] = true
			out = append(out, id)
		}
	}
	return out
}

// batchIDs splits ids into lists the key accepts: at most its
// maxCredentialCountInList each (no limit when it names none), and small
// enough that the request, overhead bytes besides the list, stays within
// its maxMsgSize. IDs longer than the key's maxCredentialIdLength cannot be
// its own and are dropped, as Chromium does.
func batchIDs(ids [][]byte, info *ctap.Info, overhead int) [][][]byte {
	maxN := int(info.MaxCredentialCountInList)
	maxMsg := int(info.MaxMsgSize)
	if maxMsg <= 0 {
		maxMsg = defaultMaxMsgSize
	}
	budget := maxMsg - overhead
	var out [][][]byte
	var cur [][]byte
	size := 0
	for _, id := range ids {
		if info.MaxCredentialIDLength > 0 && uint64(len(id)) > info.MaxCredentialIDLength {
			continue
		}
		cost := len(id) + descriptorCost
		if len(cur) > 0 && ((maxN > 0 && len(cur) >= maxN) || size+cost > budget) {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, id)
		size += cost
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// preflightHash is the client data hash of the silent pre-flight: no
// challenge, so its signature proves nothing to anyone.
var preflightHash = sha256.Sum256([]byte("KeyDesk silent pre-flight"))

// findInBatches asks the key, batch by batch and without a touch, whether
// it holds one of the credentials; it returns that credential's ID, or nil
// when it holds none.
func findInBatches(ctx context.Context, key ctap.Authenticator, rpID string, batches [][][]byte, timeout time.Duration) ([]byte, error) {
	for _, b := range batches {
		res, err := key.GetAssertion(ctx, ctap.GetAssertionRequest{
			RPID: rpID, ClientDataHash: preflightHash[:], AllowList: b, UserVerification: ctap.UVDiscouraged,
			Timeout: timeout, Silent: true,
		}, nil)
		if code, ok := ctap.CodeOf(err); ok && code == ctap.StatusNoCredentials {
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(res) == 0 {
			continue
		}
		if id := res[0].CredentialID; len(id) > 0 {
			for _, want := range b {
				if bytes.Equal(id, want) {
					return want, nil
				}
			}
			return nil, errors.New("the key answered the pre-flight with a credential that was not asked for")
		}
		if len(b) == 1 {
			return b[0], nil
		}
		return nil, errors.New("the key answered the pre-flight without a credential ID")
	}
	return nil, nil
}

// shapeList makes a credential list fit the key: unchanged when it fits
// one request, else the one credential of it the key holds (found by the
// silent pre-flight), or none. walked reports whether the pre-flight ran.
func shapeList(ctx context.Context, key ctap.Authenticator, rpID string, ids [][]byte, overhead int, timeout time.Duration) (shaped [][]byte, walked bool, err error) {
	if len(ids) <= 1 {
		return ids, false, nil
	}
	info, err := key.Info(ctx)
	if err != nil {
		return nil, false, err
	}
	if info.U2FOnly() {
		// A U2F key is asked about one ID per U2F message (libfido2's
		// u2f.c, check-only), so no list is too long for it; and it
		// cannot answer the silent pre-flight (libfido2 refuses up=false
		// for it).
		return ids, false, nil
	}
	batches := batchIDs(ids, info, overhead)
	if len(batches) <= 1 {
		if len(batches) == 0 {
			return nil, true, nil
		}
		return batches[0], false, nil
	}
	hit, err := findInBatches(ctx, key, rpID, batches, timeout)
	if err != nil || hit == nil {
		return nil, true, err
	}
	return [][]byte{hit}, true, nil
}
