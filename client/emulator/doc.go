// Package emulator is an Authentication Cloud emulator: a real HTTP server
// on loopback that answers the calls KeyDesk makes (users/enroll, approval,
// the _app attestation and assertion results, status, introspect, users,
// authenticators) with the same paths, bodies and status codes as the
// Nevis Authentication Cloud's API reference, and verifies attestations and
// assertions with github.com/go-webauthn/webauthn. It is a test and demo
// instrument: outside tests only app/demo starts it.
//
// It backs demo mode (a user enrolled in one run can approve in the next
// when Config.StateFile is set) and every test of the Cloud client and the
// ceremonies. It never listens beyond loopback. Status and transaction
// tokens are HS256 JWTs signed with a key made at Start, so tokens do not
// outlive the emulator that issued them.
//
// Where the Cloud's documentation or its official sample apps say how the
// Cloud behaves, the emulator does the same: documented.go holds those
// rules with their sources (tolerated members, _app failures as 200 with
// errorMessage, status without an access key, the samples' trailing
// slashes, the documented authenticator kinds, userHandle required, at
// most 10 authenticators, approval of the last registered key, the "rp"
// or "relyingParty" spelling), and testdata/docs the documentation's own
// examples it is tested against.
//
// It issues intent tokens (POST /api/v1/intent, intent.go) and accepts
// them, once, in place of the access key on users/enroll and approval for
// the user and operation they were issued for; Request.BearerIntent lets a
// test see which bearer each call carried.
//
// Tests and demos make it misbehave the ways the real Cloud can: FailNext
// queues a Fault (an error body in any of the three vocabularies, a delay, a
// 429 with Retry-After, an oversized or malformed body) for one endpoint;
// SetIntrospectInactive, SetStatusPending and SetOptionsRPID change how it
// answers until reset.
//
// It is a test and demo instrument, not part of the product: outside
// _test.go files only package app/demo imports it (the product's one door
// to it; app/demo's TestOneDoorToInstruments checks every file).
package emulator
