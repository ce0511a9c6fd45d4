package testauthn

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

// TestCA is a throw-away attestation root for tests: a self-signed P-256
// CA that issues attestation certificates shaped as WebAuthn §8.2.1 asks
// (C, O, OU "Authenticator Attestation", CN; not a CA).
type TestCA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewTestCA makes a root valid from an hour ago for a day.
func NewTestCA(name string) (*TestCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{Country: []string{"CH"}, Organization: []string{"KeyDesk Test"}, CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &TestCA{Cert: cert, Key: key}, nil
}

// Pool returns a pool holding only this root.
func (ca *TestCA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// Equip gives a an attestation key and a certificate from this CA, so its
// packed attestations become full (x5c) and fido-u2f works.
func (ca *TestCA) Equip(a *Authenticator) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject: pkix.Name{
			Country: []string{"CH"}, Organization: []string{"KeyDesk Test"},
			OrganizationalUnit: []string{"Authenticator Attestation"}, CommonName: "KeyDesk test authenticator",
		},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  false,
		KeyUsage:              x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return err
	}
	a.AttestationKey = key
	a.AttestationChain = [][]byte{der}
	return nil
}
