package virtualkey

import (
	"errors"

	"github.com/fxamacker/cbor/v2"

	"github.com/keydesk/keydesk/ctap/protocol"
)

// encMode encodes responses in CTAP2 canonical CBOR (CTAP 2.1 §8): definite
// lengths, shortest forms, map keys sorted length-first.
var encMode = protocol.EncMode()

// decMode decodes requests with KeyDesk's one strict CBOR policy
// (protocol.DecMode: duplicate map keys, indefinite lengths, tags and
// invalid UTF-8 are errors, trailing bytes are rejected by Unmarshal), its
// bounds tightened to what a request of this key can hold.
var decMode = func() cbor.DecMode {
	dm, err := protocol.DecMode(protocol.Limits{
		MaxNestedLevels:  8,
		MaxArrayElements: 256,
		MaxMapPairs:      64,
	})
	if err != nil {
		panic(err)
	}
	return dm
}()

// params is a CTAP command's parameter map: unsigned integer keys, each value
// decoded on demand into the type the command expects.
type params map[uint64]cbor.RawMessage

func parseParams(body []byte) (params, byte) {
	p := params{}
	if len(body) == 0 {
		return p, statusOK
	}
	if err := decMode.Unmarshal(body, &p); err != nil {
		return nil, cborStatus(err)
	}
	return p, statusOK
}

// cborStatus maps a decoding error to its CTAP status: a value of the wrong
// type is CBOR_UNEXPECTED_TYPE, anything malformed is INVALID_CBOR.
func cborStatus(err error) byte {
	var te *cbor.UnmarshalTypeError
	if errors.As(err, &te) {
		return errCBORUnexpectedType
	}
	return errInvalidCBOR
}

// field decodes p[key] into dst and reports whether it was present. A CBOR
// null counts as absent.
func field[T any](p params, key uint64, dst *T) (bool, byte) {
	raw, ok := p[key]
	if !ok || (len(raw) == 1 && raw[0] == 0xf6) {
		return false, statusOK
	}
	if err := decMode.Unmarshal(raw, dst); err != nil {
		return true, cborStatus(err)
	}
	return true, statusOK
}

// mustField is field for a required parameter.
func mustField[T any](p params, key uint64, dst *T) byte {
	ok, st := field(p, key, dst)
	if st != statusOK {
		return st
	}
	if !ok {
		return errMissingParameter
	}
	return statusOK
}

// textMap is a CBOR map with text keys (an entity, an option set).
type textMap map[string]cbor.RawMessage

func (m textMap) get(key string, dst any) (bool, byte) {
	raw, ok := m[key]
	if !ok {
		return false, statusOK
	}
	if err := decMode.Unmarshal(raw, dst); err != nil {
		return true, cborStatus(err)
	}
	return true, statusOK
}

// reply encodes a successful response: status 0x00 then the CBOR map.
func reply(v any) []byte {
	b, err := encMode.Marshal(v)
	if err != nil {
		return []byte{errOther}
	}
	return append([]byte{statusOK}, b...)
}

// fail is a response carrying only a status.
func fail(status byte) []byte { return []byte{status} }
