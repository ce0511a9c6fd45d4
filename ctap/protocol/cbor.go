package protocol

import (
	"errors"
	"io"
	"reflect"

	"github.com/fxamacker/cbor/v2"
)

// Limits of the strict decode mode. CTAP2 messages nest at most 4 levels deep
// and WebAuthn's compound attestation needs 5; 16 leaves room for extension
// outputs while still stopping a stack-exhausting input early. The element
// bounds are far above anything an authenticator sends (an x5c chain has a few
// certificates, a COSE key a handful of parameters) and far below what would
// let a small input allocate a lot.
const (
	cborMaxNestedLevels  = 16
	cborMaxArrayElements = 1024
	cborMaxMapPairs      = 1024
)

// RawCBOR is one encoded CBOR data item whose decoding is deferred, such as an
// attestation statement whose shape depends on its format.
type RawCBOR = cbor.RawMessage

// decMode is the one CBOR decode mode of KeyDesk: every parser in this
// package, and every other package through DecodeCBOR or DecMode, decodes
// with it. Duplicate map keys, indefinite lengths and tags are rejected
// because CTAP2 canonical encoding has none of them and because each is a
// way to make two parsers disagree about the same bytes. Map keys match
// struct fields only exactly: WebAuthn and CTAP member names are
// case-sensitive, and "FMT" is not "fmt". Text strings must be valid UTF-8.
var decMode = func() cbor.DecMode {
	dm, err := DecMode(Limits{})
	if err != nil {
		panic("protocol: cbor decode options: " + err.Error())
	}
	return dm
}()

// Limits bounds what one decode may hold. A zero field keeps the policy's
// own limit; a limit can only be tightened (an authenticator that accepts
// small requests only, such as the virtual key), never loosened.
type Limits struct {
	MaxNestedLevels  int
	MaxArrayElements int
	MaxMapPairs      int
}

// DecMode returns KeyDesk's strict CBOR decode mode (see decMode) with lim's
// tighter bounds: the one policy, for decoders outside this package. A bound
// above the policy's, or below what the CBOR library allows (4 levels, 16
// elements, 16 pairs), is an error.
func DecMode(lim Limits) (cbor.DecMode, error) {
	tighten := func(name string, v, max int) (int, error) {
		switch {
		case v == 0:
			return max, nil
		case v < 0 || v > max:
			return 0, errors.New("cbor: " + name + " must be between 1 and the policy's limit")
		}
		return v, nil
	}
	levels, err := tighten("nesting limit", lim.MaxNestedLevels, cborMaxNestedLevels)
	if err != nil {
		return nil, err
	}
	elems, err := tighten("array limit", lim.MaxArrayElements, cborMaxArrayElements)
	if err != nil {
		return nil, err
	}
	pairs, err := tighten("map limit", lim.MaxMapPairs, cborMaxMapPairs)
	if err != nil {
		return nil, err
	}
	return cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		FieldNameMatching: cbor.FieldNameMatchingCaseSensitive,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		MaxNestedLevels:   levels,
		MaxArrayElements:  elems,
		MaxMapPairs:       pairs,
		UTF8:              cbor.UTF8RejectInvalid,
	}.DecMode()
}

// encMode encodes in the CTAP2 canonical form (shortest integers, map keys
// sorted length-first), so that what KeyDesk builds is what a key would send.
var encMode = func() cbor.EncMode {
	em, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		panic("protocol: cbor encode options: " + err.Error())
	}
	return em
}()

// decodeCBOR decodes exactly one CBOR data item from data into v; bytes after
// the item are an error, not something to ignore. v is left untouched on
// error and replaced, not merged into, on success: it decodes into a fresh
// value of v's type and stores it in v only when decoding succeeded, as the
// decoder itself can fill part of a map or struct before it finds a
// duplicate key or a type mismatch.
func decodeCBOR(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("cbor: decode target must be a non-nil pointer")
	}
	tmp := reflect.New(rv.Elem().Type())
	if err := decMode.Unmarshal(data, tmp.Interface()); err != nil {
		return err
	}
	rv.Elem().Set(tmp.Elem())
	return nil
}

// errCBORNull is what decodeCBORValue returns for a null or undefined.
var errCBORNull = errors.New("cbor: null or undefined value")

// decodeCBORValue is decodeCBOR for a member that must hold a value. CBOR
// null and undefined decode into any Go type as its zero value without an
// error, which would let a missing value pass as 0 or empty.
func decodeCBORValue(data []byte, v any) error {
	if len(data) > 0 && (data[0] == 0xf6 || data[0] == 0xf7) {
		return errCBORNull
	}
	return decodeCBOR(data, v)
}

// decodeMember is decodeCBORValue for a target the caller made fresh for
// this decode and throws away on error, such as a member of a statement
// being parsed: it decodes into v directly, without decodeCBOR's temporary
// and copy, so v may be partly written when it returns an error.
func decodeMember(data []byte, v any) error {
	if len(data) > 0 && (data[0] == 0xf6 || data[0] == 0xf7) {
		return errCBORNull
	}
	return decMode.Unmarshal(data, v)
}

// cborItem is one encoded CBOR data item, like RawCBOR, that aliases the
// bytes it was decoded from instead of copying them. It is for the members
// of a map that a parser decodes further right away (into values of their
// own) and then drops; what outlives the parse is copied out of it.
type cborItem []byte

// UnmarshalCBOR keeps data itself: the decoder hands over exactly the bytes
// of one well-formed item, a subslice of the input.
func (m *cborItem) UnmarshalCBOR(data []byte) error {
	*m = data
	return nil
}

// cborMapLen returns the number of pairs of the definite-length map at the
// start of data, reading only its head; ok is false when data does not
// start with one. The one-pass decodes into structs use it after a
// successful decode to tell that every pair of the map went into a field:
// a struct decode skips unknown members where the map decode reports them.
func cborMapLen(data []byte) (n uint64, ok bool) {
	if len(data) == 0 || data[0]>>5 != 5 {
		return 0, false
	}
	ai := data[0] & 0x1f
	if ai < 24 {
		return uint64(ai), true
	}
	if ai > 27 {
		return 0, false // indefinite length or reserved
	}
	size := 1 << (ai - 24) // 1, 2, 4 or 8 bytes
	if len(data) < 1+size {
		return 0, false
	}
	for _, b := range data[1 : 1+size] {
		n = n<<8 | uint64(b)
	}
	return n, true
}

// DecodeCBOR decodes exactly one CBOR data item from data into v with the
// package's strict decode mode: no duplicate map keys, no indefinite lengths,
// no tags, bounded depth and sizes, no trailing bytes. v must be a non-nil
// pointer; it is left untouched when DecodeCBOR returns an error.
func DecodeCBOR(data []byte, v any) error {
	return decodeCBOR(data, v)
}

// EncMode is the CTAP2 canonical encode mode of EncodeCBOR, for encoders
// outside this package (the virtual key, the test authenticator).
func EncMode() cbor.EncMode { return encMode }

// EncodeCBOR encodes v in the CTAP2 canonical CBOR encoding form.
//
// Specification: CTAP 2.1 §8 Message Encoding (https://fidoalliance.org/specs/fido-v2.1-ps-20210615/fido-client-to-authenticator-protocol-v2.1-ps-20210615.html#ctap2-canonical-cbor-encoding-form)
func EncodeCBOR(v any) ([]byte, error) {
	return encMode.Marshal(v)
}

// ParseError reports input that one of this package's parsers rejected. Part
// names the structure being parsed ("authenticator data", "COSE key",
// "attestation statement (packed)", …) and Reason what was wrong with it. The
// message never quotes the input: it may hold a challenge or a credential ID.
type ParseError struct {
	Part   string
	Reason string
	Err    error // the underlying decoder error, if any
}

func (e *ParseError) Error() string {
	return e.Part + ": " + e.Reason
}

func (e *ParseError) Unwrap() error { return e.Err }

func parseErr(part, reason string) *ParseError {
	return &ParseError{Part: part, Reason: reason}
}

// cborErr wraps a decoder error for part, with a reason naming the kind of
// problem rather than the decoder's own message, which can quote map keys and
// values from the input.
func cborErr(part, what string, err error) *ParseError {
	reason := cborReason(err)
	if what != "" {
		reason = what + ": " + reason
	}
	return &ParseError{Part: part, Reason: reason, Err: err}
}

func cborReason(err error) string {
	var (
		dup    *cbor.DupMapKeyError
		indef  *cbor.IndefiniteLengthError
		tags   *cbor.TagsMdError
		depth  *cbor.MaxNestedLevelError
		arr    *cbor.MaxArrayElementsError
		mp     *cbor.MaxMapPairsError
		extra  *cbor.ExtraneousDataError
		syntax *cbor.SyntaxError
		sem    *cbor.SemanticError
		typ    *cbor.UnmarshalTypeError
		key    *cbor.InvalidMapKeyTypeError
	)
	switch {
	case errors.Is(err, errCBORNull):
		return "null value"
	case errors.As(err, &dup):
		return "duplicate map key"
	case errors.As(err, &indef):
		return "indefinite-length item"
	case errors.As(err, &tags):
		return "cbor tag not allowed"
	case errors.As(err, &depth):
		return "nested too deeply"
	case errors.As(err, &arr):
		return "array too long"
	case errors.As(err, &mp):
		return "map too large"
	case errors.As(err, &extra):
		return "trailing bytes"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated cbor"
	case errors.Is(err, io.EOF):
		return "no cbor data"
	case errors.As(err, &syntax):
		return "malformed cbor"
	case errors.As(err, &sem):
		return "invalid cbor"
	case errors.As(err, &typ):
		return "unexpected cbor type " + typ.CBORType + " for " + typ.GoType
	case errors.As(err, &key):
		return "unexpected map key type"
	default:
		return "invalid cbor"
	}
}
