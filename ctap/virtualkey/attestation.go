package virtualkey

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"time"
)

// oidFIDOGenCEAAGUID is id-fido-gen-ce-aaguid: the batch certificate names the
// model it attests (WebAuthn §8.2.1).
var oidFIDOGenCEAAGUID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 45724, 1, 1, 4}

// attestation is the parsed attestation material of a key.
type attestation struct {
	caCert    *x509.Certificate
	batchCert *x509.Certificate
	batchKey  *ecdsa.PrivateKey
}

// newAttestation creates a test CA and a batch certificate it issues, with the
// fields WebAuthn §8.2.1 requires of a packed attestation certificate:
// version 3, subject C/O/OU="Authenticator Attestation"/CN, basic constraints
// CA=false, and the AAGUID extension.
func (st *state) newAttestation(caName string) error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	batchKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now().Add(-time.Hour).UTC()
	caTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{Country: []string{"CH"}, Organization: []string{"KeyDesk"}, CommonName: caName},
		NotBefore:             now,
		NotAfter:              now.AddDate(30, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	aaguidExt, err := asn1.Marshal(st.AAGUID) // an OCTET STRING of the 16 bytes
	if err != nil {
		return err
	}
	batchTmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject: pkix.Name{
			Country:            []string{"CH"},
			Organization:       []string{"KeyDesk"},
			OrganizationalUnit: []string{"Authenticator Attestation"},
			CommonName:         "KeyDesk Virtual Key Batch 1",
		},
		NotBefore:             now,
		NotAfter:              now.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  false,
		ExtraExtensions:       []pkix.Extension{{Id: oidFIDOGenCEAAGUID, Value: aaguidExt}},
	}
	batchDER, err := x509.CreateCertificate(rand.Reader, batchTmpl, caCert, &batchKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caKeyDER, err := x509.MarshalPKCS8PrivateKey(caKey)
	if err != nil {
		return err
	}
	batchKeyDER, err := x509.MarshalPKCS8PrivateKey(batchKey)
	if err != nil {
		return err
	}
	st.CACert, st.CAKey, st.BatchCert, st.BatchKey = caDER, caKeyDER, batchDER, batchKeyDER
	return nil
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return n.Add(n, big.NewInt(1))
}

func (st *state) attestation() (attestation, error) {
	ca, err := x509.ParseCertificate(st.CACert)
	if err != nil {
		return attestation{}, err
	}
	batch, err := x509.ParseCertificate(st.BatchCert)
	if err != nil {
		return attestation{}, err
	}
	k, err := x509.ParsePKCS8PrivateKey(st.BatchKey)
	if err != nil {
		return attestation{}, err
	}
	bk, ok := k.(*ecdsa.PrivateKey)
	if !ok {
		return attestation{}, errors.New("virtualkey: batch key is not ECDSA")
	}
	if err := batch.CheckSignatureFrom(ca); err != nil {
		return attestation{}, err
	}
	return attestation{caCert: ca, batchCert: batch, batchKey: bk}, nil
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// attStmt builds the attestation statement over authData||clientDataHash
// (WebAuthn §8.2 packed, §8.7 none).
func (k *Key) attStmt(mode AttestationMode, c *credKey, authData, cdh []byte) (string, map[string]any, error) {
	msg := append(append([]byte{}, authData...), cdh...)
	switch mode {
	case AttestationNone:
		return "none", map[string]any{}, nil
	case AttestationSelf:
		sig, err := c.sign(msg)
		if err != nil {
			return "", nil, err
		}
		return "packed", map[string]any{"alg": c.alg, "sig": sig}, nil
	default:
		d := sha256.Sum256(msg)
		sig, err := k.att.batchKey.Sign(rand.Reader, d[:], crypto.SHA256)
		if err != nil {
			return "", nil, err
		}
		return "packed", map[string]any{"alg": algES256, "sig": sig, "x5c": [][]byte{k.att.batchCert.Raw}}, nil
	}
}
