package virtualkey

import (
	"testing"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// TestDecodesWithTheOnePolicy: the key decodes requests with KeyDesk's one
// strict CBOR policy (ctap/protocol), only its bounds tightened, and encodes
// with the one CTAP2 canonical mode.
func TestDecodesWithTheOnePolicy(t *testing.T) {
	policy, err := protocol.DecMode(protocol.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := policy.DecOptions()
	want.MaxNestedLevels, want.MaxArrayElements, want.MaxMapPairs = 8, 256, 64
	if got := decMode.DecOptions(); got != want {
		t.Errorf("virtual key's decode options = %+v\nwant the policy's with tighter bounds = %+v", got, want)
	}
	if got, want := encMode.EncOptions(), protocol.EncMode().EncOptions(); got != want {
		t.Errorf("virtual key's encode options = %+v, want %+v", got, want)
	}
}
