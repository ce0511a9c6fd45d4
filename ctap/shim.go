package ctap

// The cgo shim: the one route into libfido2 for every operation on a key
// (getInfo, PIN retries, set and change PIN, reset, credential management,
// makeCredential, getAssertion), written against libfido2 1.12's public
// API. It does what go-libfido2 does not: the full getInfo, an exclude
// list, raw authenticator data and attestation statement, every assertion
// with its user, a deadline on each wait, cancel, and PINs in C memory that
// is zeroed before it is freed. The feature files (pin.go, credman.go,
// reset.go) hold the operations; the conn methods here are their calls.

/*
#cgo pkg-config: libfido2
#include <fido.h>
#include <fido/credman.h>
#include <stdlib.h>
#include <string.h>

// kd_free_secret zeroes a secret (a PIN) before its memory goes back to
// the allocator: libfido2 copies what it needs, and freed memory is not
// cleared by anyone else.
static void kd_free_secret(char *p, size_t n) {
	if (p == NULL)
		return;
	explicit_bzero(p, n);
	free(p);
}

// kd_scrub_stack zeroes the stack below its caller, where libfido2 and
// OpenSSL leave pieces of the PIN they handled (spilled registers, local
// buffers); the thread's stack would otherwise keep them for the thread's
// life. Each PIN-taking call below runs it on its own thread before
// returning to Go.
static void __attribute__((noinline)) kd_scrub_stack(void) {
	unsigned char buf[64 * 1024];
	explicit_bzero(buf, sizeof(buf));
	__asm__ __volatile__("" : : "r"(buf) : "memory");
}

static int kd_dev_set_pin(fido_dev_t *dev, const char *pin, const char *old) {
	int r = fido_dev_set_pin(dev, pin, old);
	kd_scrub_stack();
	return r;
}

static int kd_dev_make_cred(fido_dev_t *dev, fido_cred_t *cred, const char *pin) {
	int r = fido_dev_make_cred(dev, cred, pin);
	kd_scrub_stack();
	return r;
}

static int kd_dev_get_assert(fido_dev_t *dev, fido_assert_t *as, const char *pin) {
	int r = fido_dev_get_assert(dev, as, pin);
	kd_scrub_stack();
	return r;
}

static int kd_credman_get_dev_metadata(fido_dev_t *dev, fido_credman_metadata_t *m, const char *pin) {
	int r = fido_credman_get_dev_metadata(dev, m, pin);
	kd_scrub_stack();
	return r;
}

static int kd_credman_get_dev_rp(fido_dev_t *dev, fido_credman_rp_t *rp, const char *pin) {
	int r = fido_credman_get_dev_rp(dev, rp, pin);
	kd_scrub_stack();
	return r;
}

static int kd_credman_get_dev_rk(fido_dev_t *dev, const char *rp, fido_credman_rk_t *rk, const char *pin) {
	int r = fido_credman_get_dev_rk(dev, rp, rk, pin);
	kd_scrub_stack();
	return r;
}

static int kd_credman_del_dev_rk(fido_dev_t *dev, const unsigned char *id, size_t n, const char *pin) {
	int r = fido_credman_del_dev_rk(dev, id, n, pin);
	kd_scrub_stack();
	return r;
}
*/
import "C"

import (
	"context"
	"errors"
	"sync"
	"time"
	"unsafe"

	"github.com/keydesk/keydesk/ctap/internal/hidbridge"
	"github.com/keydesk/keydesk/ctap/protocol"
)

// withCPIN runs fn with pin as a NUL-terminated C string ("" is NULL), in
// memory of its own that is zeroed before it is freed. The PIN is copied
// straight from the Go string into C memory, with no Go copy in between.
// Every PIN that goes to libfido2 goes through here: a PIN must not outlive
// the call in the process's memory (a kiosk would otherwise keep the PIN of
// everyone who enrolled there).
func withCPIN[T any](pin string, fn func(*C.char) T) T {
	if pin == "" {
		return fn(nil)
	}
	n := len(pin) + 1
	p := (*C.char)(C.calloc(C.size_t(n), 1))
	if p == nil {
		panic("ctap: out of memory")
	}
	defer C.kd_free_secret(p, C.size_t(n))
	copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), n), pin)
	return fn(p)
}

// Deadlines of the key operations (each of libfido2's waits on the key,
// including the open's CTAPHID_INIT and getInfo): no call on a key waits
// forever, even on a key that accepts a connection and never answers.
const (
	infoTimeout  = 10 * time.Second // getInfo, PIN retries, PIN and credential management
	resetTimeout = 35 * time.Second // a reset waits for a touch (keys give up after 30 s)
)

// opTimeout is timeout, capped by SetMaxTimeoutForTesting's limit.
func opTimeout(timeout time.Duration) time.Duration {
	if m := time.Duration(testOnlyMaxTimeout.Load()); m > 0 && (timeout <= 0 || timeout > m) {
		return m
	}
	return timeout
}

// openDev opens path with libfido2; the caller closes it with closeDev.
// timeout bounds each of libfido2's waits on the key, the open's included.
func openDev(path string, timeout time.Duration) (*C.fido_dev_t, int) {
	dev := C.fido_dev_new()
	if dev == nil {
		return nil, ErrCodeInternal
	}
	if timeout = opTimeout(timeout); timeout > 0 {
		C.fido_dev_set_timeout(dev, C.int(timeout/time.Millisecond))
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	if r := C.fido_dev_open(dev, cpath); r != C.FIDO_OK {
		C.fido_dev_free(&dev)
		return nil, int(r)
	}
	return dev, 0
}

func closeDev(dev *C.fido_dev_t) {
	C.fido_dev_close(dev)
	C.fido_dev_free(&dev)
}

// cancellable runs fn, a blocking libfido2 call on path, and cancels it on
// the key (CTAPHID_CANCEL through the bridge) when ctx ends first. A key
// may be opened only after the cancel was sent, so the cancel repeats until
// fn returns; a key still being opened, or one that ignores the cancel for
// abortAfter, has its waits aborted (hidbridge.Abort). A ctx that ended
// before the key was opened never opens it. Calls on one path run one at a
// time: a key answers a second platform's command with CHANNEL_BUSY
// meanwhile, and libfido2 then quietly treats the key as U2F-only for that
// handle.
func cancellable[T any](ctx context.Context, path string, fn func() T) (result T, cancelled bool) {
	unlock, ok := lockPath(ctx, path)
	if !ok {
		return result, true
	}
	defer unlock()
	if ctx.Err() != nil {
		return result, true
	}
	done := make(chan struct{})
	watch := make(chan bool)
	go func() {
		select {
		case <-done:
			watch <- false
			return
		case <-ctx.Done():
		}
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		abort := time.Now().Add(abortAfter)
		for {
			if time.Now().After(abort) {
				hidbridge.Abort(path)
			} else {
				hidbridge.Cancel(path)
			}
			select {
			case <-done:
				watch <- true
				return
			case <-t.C:
			}
		}
	}()
	result = fn()
	close(done)
	return result, <-watch
}

// abortAfter is how long a cancelled call waits for the key to answer its
// CTAPHID_CANCEL (keys answer at once) before its waits are aborted.
const abortAfter = time.Second

var pathLocks sync.Map // device path → chan struct{} (capacity 1)

// lockPath waits for exclusive use of path, or for ctx to end.
func lockPath(ctx context.Context, path string) (unlock func(), ok bool) {
	v, _ := pathLocks.LoadOrStore(path, make(chan struct{}, 1))
	sem := v.(chan struct{})
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, true
	case <-ctx.Done():
		return nil, false
	}
}

// conn is one open libfido2 handle on a key. A whole operation — getInfo,
// PIN retries, a new PIN, make credential or get assertion, a second try
// after a wrong PIN — runs on one conn: every open costs the key a
// CTAPHID_INIT and a getInfo.
type conn struct {
	dev  *C.fido_dev_t
	path string
}

// openSession opens path, runs fn with the handle and closes it. The whole
// session holds the key (other callers wait their turn) and ctx cancels it
// on the key; timeout bounds each of libfido2's own waits.
func openSession(ctx context.Context, op, path string, timeout time.Duration, fn func(c *conn) error) error {
	err, cancelled := cancellable(ctx, path, func() error {
		dev, code := openDev(path, timeout)
		if code != 0 {
			return &Error{Op: op, Code: code}
		}
		defer closeDev(dev)
		return fn(&conn{dev: dev, path: path})
	})
	if cancelled {
		return fromContext(op, ctx)
	}
	return markRemoved(path, err)
}

// markRemoved tells a key that stopped answering (FIDO_ERR_TX/RX) because
// it was pulled out from one that failed while still connected: libfido2
// reports both the same way.
func markRemoved(path string, err error) error {
	code, ok := CodeOf(err)
	if !ok || (code != ErrCodeTX && code != ErrCodeRX) || connected(path) {
		return err
	}
	var e *Error
	errors.As(err, &e)
	return &Error{Op: e.Op, Code: code, Err: ErrKeyRemoved}
}

// connected reports whether the key at path is still there: it can be
// opened, or it takes a connection and lets the whole probe run out without
// answering (a hung key, not a removed one: a removed key fails at once).
func connected(path string) bool {
	probe := opTimeout(time.Second)
	start := time.Now()
	dev, code := openDev(path, probe)
	if code != 0 {
		return code == ErrCodeRX && time.Since(start) >= probe*9/10
	}
	closeDev(dev)
	return true
}

func codeErr(op string, r C.int) error {
	if r == C.FIDO_OK {
		return nil
	}
	return &Error{Op: op, Code: int(r)}
}

func goBytes(p *C.uchar, n C.size_t) []byte {
	if p == nil || n == 0 {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

func goStrings(p **C.char, n C.size_t) []string {
	if p == nil || n == 0 {
		return nil
	}
	out := make([]string, 0, int(n))
	for _, s := range unsafe.Slice(p, int(n)) {
		out = append(out, C.GoString(s))
	}
	return out
}

func cString(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeC(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

func cbytes(b []byte) (*C.uchar, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uchar)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// infoShim is getInfo in a session of its own.
func infoShim(ctx context.Context, path string) (info *Info, err error) {
	err = openSession(ctx, "get info", path, infoTimeout, func(c *conn) error {
		info, err = c.info()
		return err
	})
	return info, err
}

// info is getInfo through libfido2's fido_cbor_info_* accessors.
func (c *conn) info() (*Info, error) {
	const op = "get info"
	if !C.fido_dev_is_fido2(c.dev) {
		// A U2F-only key (no CAPABILITY_CBOR in its CTAPHID_INIT answer)
		// has no getInfo; libfido2 enrolls and signs in with it through
		// its U2F path (src/u2f.c), as browsers do. libfido2 also clears
		// CBOR for a CTAP2 key whose getInfo failed (dev.c: a key busy
		// with another platform answers CHANNEL_BUSY); one that announced
		// no U2F messages (CAPABILITY_NMSG) is no U2F key: its failure is
		// reported, not a U2F key.
		if C.fido_dev_flags(c.dev)&C.FIDO_CAP_NMSG != 0 {
			return nil, &Error{Op: op, Code: ErrCodeNotFIDO}
		}
		return u2fInfo(), nil
	}
	info := C.fido_cbor_info_new()
	if info == nil {
		return nil, &Error{Op: op, Code: ErrCodeInternal}
	}
	defer C.fido_cbor_info_free(&info)
	if err := codeErr(op, C.fido_dev_get_cbor_info(c.dev, info)); err != nil {
		return nil, err
	}
	out := &Info{
		Versions:                         goStrings(C.fido_cbor_info_versions_ptr(info), C.fido_cbor_info_versions_len(info)),
		Extensions:                       goStrings(C.fido_cbor_info_extensions_ptr(info), C.fido_cbor_info_extensions_len(info)),
		Transports:                       goStrings(C.fido_cbor_info_transports_ptr(info), C.fido_cbor_info_transports_len(info)),
		AAGUID:                           goBytes(C.fido_cbor_info_aaguid_ptr(info), C.fido_cbor_info_aaguid_len(info)),
		MaxMsgSize:                       uint64(C.fido_cbor_info_maxmsgsiz(info)),
		MaxCredentialCountInList:         uint64(C.fido_cbor_info_maxcredcntlst(info)),
		MaxCredentialIDLength:            uint64(C.fido_cbor_info_maxcredidlen(info)),
		MinPINLength:                     uint64(C.fido_cbor_info_minpinlen(info)),
		FirmwareVersion:                  uint64(C.fido_cbor_info_fwversion(info)),
		RemainingDiscoverableCredentials: int64(C.fido_cbor_info_rk_remaining(info)),
		ForcePINChange:                   bool(C.fido_cbor_info_new_pin_required(info)),
		UVAttempts:                       uint64(C.fido_cbor_info_uv_attempts(info)),
		Options:                          map[string]bool{},
	}
	for _, p := range goBytes(C.fido_cbor_info_protocols_ptr(info), C.fido_cbor_info_protocols_len(info)) {
		out.PINUVAuthProtocols = append(out.PINUVAuthProtocols, int(p))
	}
	names := goStrings(C.fido_cbor_info_options_name_ptr(info), C.fido_cbor_info_options_len(info))
	if vp := C.fido_cbor_info_options_value_ptr(info); vp != nil {
		vals := unsafe.Slice(vp, len(names))
		for i, n := range names {
			out.Options[n] = bool(vals[i])
		}
	}
	for i := C.size_t(0); i < C.fido_cbor_info_algorithm_count(info); i++ {
		out.Algorithms = append(out.Algorithms, int(C.fido_cbor_info_algorithm_cose(info, i)))
	}
	return out, nil
}

// retries reads how many PIN attempts are left.
func (c *conn) retries() (int, error) {
	var n C.int
	if err := codeErr("read PIN retries", C.fido_dev_get_retry_count(c.dev, &n)); err != nil {
		return -1, err
	}
	return int(n), nil
}

// setPIN sets the first PIN of a key that has none.
func (c *conn) setPIN(pin string) error {
	return c.changePIN("", pin)
}

// changePIN replaces the key's PIN old with pin; with old empty it sets
// the first PIN.
func (c *conn) changePIN(old, pin string) error {
	op := "change PIN"
	if old == "" {
		op = "set PIN"
	}
	return withCPIN(pin, func(cpin *C.char) error {
		return withCPIN(old, func(cold *C.char) error {
			return codeErr(op, C.kd_dev_set_pin(c.dev, cpin, cold))
		})
	})
}

// reset is authenticatorReset.
func (c *conn) reset() error {
	return codeErr("reset", C.fido_dev_reset(c.dev))
}

// credSlots reads the discoverable-credential counts (credentialManagement
// getCredsMetadata).
func (c *conn) credSlots(pin string) (CredentialSlots, error) {
	const op = "read credential slots"
	meta := C.fido_credman_metadata_new()
	if meta == nil {
		return CredentialSlots{}, &Error{Op: op, Code: ErrCodeInternal}
	}
	defer C.fido_credman_metadata_free(&meta)
	err := withCPIN(pin, func(cpin *C.char) error {
		return codeErr(op, C.kd_credman_get_dev_metadata(c.dev, meta, cpin))
	})
	if err != nil {
		return CredentialSlots{}, err
	}
	return CredentialSlots{
		Existing:  int64(C.fido_credman_rk_existing(meta)),
		Remaining: int64(C.fido_credman_rk_remaining(meta)),
	}, nil
}

// relyingParties lists the relying parties with discoverable credentials
// (credentialManagement enumerateRPs).
func (c *conn) relyingParties(pin string) ([]RelyingPartyEntity, error) {
	const op = "list relying parties"
	rp := C.fido_credman_rp_new()
	if rp == nil {
		return nil, &Error{Op: op, Code: ErrCodeInternal}
	}
	defer C.fido_credman_rp_free(&rp)
	err := withCPIN(pin, func(cpin *C.char) error {
		return codeErr(op, C.kd_credman_get_dev_rp(c.dev, rp, cpin))
	})
	if err != nil {
		return nil, err
	}
	n := C.fido_credman_rp_count(rp)
	out := make([]RelyingPartyEntity, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		out = append(out, RelyingPartyEntity{
			ID:   goStringOrEmpty(C.fido_credman_rp_id(rp, i)),
			Name: goStringOrEmpty(C.fido_credman_rp_name(rp, i)),
		})
	}
	return out, nil
}

// credentials lists the discoverable credentials of rpID
// (credentialManagement enumerateCredentials).
func (c *conn) credentials(rpID, pin string) ([]StoredCredential, error) {
	const op = "list credentials"
	rk := C.fido_credman_rk_new()
	if rk == nil {
		return nil, &Error{Op: op, Code: ErrCodeInternal}
	}
	defer C.fido_credman_rk_free(&rk)
	crp := C.CString(rpID)
	defer C.free(unsafe.Pointer(crp))
	err := withCPIN(pin, func(cpin *C.char) error {
		return codeErr(op, C.kd_credman_get_dev_rk(c.dev, crp, rk, cpin))
	})
	if err != nil {
		return nil, err
	}
	n := C.fido_credman_rk_count(rk)
	out := make([]StoredCredential, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		cred := C.fido_credman_rk(rk, i)
		if cred == nil {
			continue
		}
		out = append(out, StoredCredential{
			RPID:      rpID,
			ID:        goBytes(C.fido_cred_id_ptr(cred), C.fido_cred_id_len(cred)),
			Algorithm: int(C.fido_cred_type(cred)),
			User: UserEntity{
				ID:          goBytes(C.fido_cred_user_id_ptr(cred), C.fido_cred_user_id_len(cred)),
				Name:        goStringOrEmpty(C.fido_cred_user_name(cred)),
				DisplayName: goStringOrEmpty(C.fido_cred_display_name(cred)),
			},
		})
	}
	return out, nil
}

// deleteCredential removes one discoverable credential
// (credentialManagement deleteCredential).
func (c *conn) deleteCredential(id []byte, pin string) error {
	p, n := cbytes(id)
	return withCPIN(pin, func(cpin *C.char) error {
		return codeErr("delete credential", C.kd_credman_del_dev_rk(c.dev, p, n, cpin))
	})
}

// makeCred runs one authenticatorMakeCredential with alg.
func (c *conn) makeCred(req *MakeCredentialRequest, alg int, pin string) (*MakeCredentialResult, error) {
	const op = "make credential"
	cred := C.fido_cred_new()
	if cred == nil {
		return nil, &Error{Op: op, Code: ErrCodeInternal}
	}
	defer C.fido_cred_free(&cred)

	setup := func() int {
		p, n := cbytes(req.ClientDataHash)
		if r := C.fido_cred_set_clientdata_hash(cred, p, n); r != C.FIDO_OK {
			return int(r)
		}
		rpID, rpName := C.CString(req.RP.ID), cString(req.RP.Name)
		defer freeC(rpID)
		defer freeC(rpName)
		if r := C.fido_cred_set_rp(cred, rpID, rpName); r != C.FIDO_OK {
			return int(r)
		}
		uid, uidn := cbytes(req.User.ID)
		name, dname := cString(req.User.Name), cString(req.User.DisplayName)
		defer freeC(name)
		defer freeC(dname)
		if r := C.fido_cred_set_user(cred, uid, uidn, name, dname, nil); r != C.FIDO_OK {
			return int(r)
		}
		if r := C.fido_cred_set_type(cred, C.int(alg)); r != C.FIDO_OK {
			return int(r)
		}
		for _, id := range req.ExcludeList {
			p, n := cbytes(id)
			if r := C.fido_cred_exclude(cred, p, n); r != C.FIDO_OK {
				return int(r)
			}
		}
		rk := C.fido_opt_t(C.FIDO_OPT_OMIT)
		if req.ResidentKey {
			rk = C.FIDO_OPT_TRUE
		}
		if r := C.fido_cred_set_rk(cred, rk); r != C.FIDO_OK {
			return int(r)
		}
		var ext C.int
		if req.HMACSecret {
			ext |= C.FIDO_EXT_HMAC_SECRET
		}
		if req.CredProtect > 0 {
			ext |= C.FIDO_EXT_CRED_PROTECT
			if r := C.fido_cred_set_prot(cred, C.int(req.CredProtect)); r != C.FIDO_OK {
				return int(r)
			}
		}
		if ext != 0 {
			if r := C.fido_cred_set_extensions(cred, ext); r != C.FIDO_OK {
				return int(r)
			}
		}
		if req.NoneAttestation {
			// Ask libfido2 to accept and report "none"; the key still
			// chooses what it returns.
			f := C.CString("none")
			defer C.free(unsafe.Pointer(f))
			_ = C.fido_cred_set_fmt(cred, f)
		}
		return 0
	}
	if code := setup(); code != 0 {
		return nil, &Error{Op: op, Code: code}
	}
	if err := withCPIN(pin, func(cpin *C.char) error {
		return codeErr(op, C.kd_dev_make_cred(c.dev, cred, cpin))
	}); err != nil {
		return nil, err
	}
	format := C.GoString(C.fido_cred_fmt(cred))
	attStmt := goBytes(C.fido_cred_attstmt_ptr(cred), C.fido_cred_attstmt_len(cred))
	if format == string(protocol.AttestationFormatFIDOU2F) {
		var err error
		if attStmt, err = u2fStatement(attStmt); err != nil {
			return nil, &Error{Op: op, Code: ErrCodeRXInvalidCBOR, Err: err}
		}
	}
	return &MakeCredentialResult{
		Format:       format,
		AuthData:     goBytes(C.fido_cred_authdata_raw_ptr(cred), C.fido_cred_authdata_raw_len(cred)),
		AttStmt:      attStmt,
		CredentialID: goBytes(C.fido_cred_id_ptr(cred), C.fido_cred_id_len(cred)),
		Algorithm:    int(C.fido_cred_type(cred)),
		ResidentKey:  req.ResidentKey,
		UVUsed:       pin != "",
	}, nil
}

// getAssert runs authenticatorGetAssertion (and GetNextAssertion) and
// returns every assertion the key gave.
func (c *conn) getAssert(req *GetAssertionRequest, pin string) ([]AssertionResult, error) {
	const op = "get assertion"
	as := C.fido_assert_new()
	if as == nil {
		return nil, &Error{Op: op, Code: ErrCodeInternal}
	}
	defer C.fido_assert_free(&as)
	setup := func() int {
		rp := C.CString(req.RPID)
		defer C.free(unsafe.Pointer(rp))
		if r := C.fido_assert_set_rp(as, rp); r != C.FIDO_OK {
			return int(r)
		}
		p, n := cbytes(req.ClientDataHash)
		if r := C.fido_assert_set_clientdata_hash(as, p, n); r != C.FIDO_OK {
			return int(r)
		}
		for _, id := range req.AllowList {
			p, n := cbytes(id)
			if r := C.fido_assert_allow_cred(as, p, n); r != C.FIDO_OK {
				return int(r)
			}
		}
		up := C.fido_opt_t(C.FIDO_OPT_TRUE)
		if req.Silent {
			up = C.FIDO_OPT_FALSE
		}
		if r := C.fido_assert_set_up(as, up); r != C.FIDO_OK {
			return int(r)
		}
		return 0
	}
	if code := setup(); code != 0 {
		return nil, &Error{Op: op, Code: code}
	}
	if err := withCPIN(pin, func(cpin *C.char) error {
		return codeErr(op, C.kd_dev_get_assert(c.dev, as, cpin))
	}); err != nil {
		return nil, err
	}
	n := C.fido_assert_count(as)
	out := make([]AssertionResult, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		wrapped := goBytes(C.fido_assert_authdata_ptr(as, i), C.fido_assert_authdata_len(as, i))
		raw, err := protocol.UnwrapAuthData(wrapped)
		if err != nil {
			return nil, &Error{Op: op, Code: ErrCodeRXInvalidCBOR, Err: err}
		}
		out = append(out, AssertionResult{
			CredentialID: goBytes(C.fido_assert_id_ptr(as, i), C.fido_assert_id_len(as, i)),
			AuthData:     raw,
			Signature:    goBytes(C.fido_assert_sig_ptr(as, i), C.fido_assert_sig_len(as, i)),
			User: UserEntity{
				ID:          goBytes(C.fido_assert_user_id_ptr(as, i), C.fido_assert_user_id_len(as, i)),
				Name:        goStringOrEmpty(C.fido_assert_user_name(as, i)),
				DisplayName: goStringOrEmpty(C.fido_assert_user_display_name(as, i)),
			},
		})
	}
	return out, nil
}

func goStringOrEmpty(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}
