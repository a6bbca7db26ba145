// Command clusterpki makes the benchmark's cluster PKI the way kubeadm's pkiutil does
// (cmd/kubeadm/app/util/pkiutil): rsa.GenerateKey / ecdsa.GenerateKey, x509.CreateCertificate,
// PEM files (PKCS#1 / SEC1 keys). Standard library only. It reads the workload JSON the harness
// writes (the certificates of kubepki's planCluster, CAs first) and prints one JSON line with its
// in-process time and peak RSS.
//
// Usage: clusterpki -workload FILE.json -out DIR [-concurrency C]
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type spec struct {
	ID           string      `json:"id"`
	File         string      `json:"file"`
	Signer       string      `json:"signer"`
	IsCA         bool        `json:"isCa"`
	Subject      [][2]string `json:"subject"`
	DNS          []string    `json:"dns"`
	IP           []string    `json:"ip"`
	KeyUsages    []string    `json:"keyUsages"`
	ExtKeyUsages []string    `json:"extKeyUsages"`
	ValidityDays int         `json:"validityDays"`
}

type workload struct {
	KeyAlgorithm string `json:"keyAlgorithm"`
	Certificates []spec `json:"certificates"`
}

var keyUsageBits = map[string]x509.KeyUsage{
	"digitalSignature": x509.KeyUsageDigitalSignature,
	"keyEncipherment":  x509.KeyUsageKeyEncipherment,
	"keyCertSign":      x509.KeyUsageCertSign,
}

var extKeyUsages = map[string]x509.ExtKeyUsage{
	"serverAuth": x509.ExtKeyUsageServerAuth,
	"clientAuth": x509.ExtKeyUsageClientAuth,
}

type issued struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func newKey(algorithm string) (crypto.Signer, error) {
	switch {
	case strings.HasPrefix(algorithm, "RSA-"):
		bits, err := strconv.Atoi(algorithm[4:])
		if err != nil {
			return nil, err
		}
		return rsa.GenerateKey(rand.Reader, bits)
	case algorithm == "ECDSA-P256":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case algorithm == "ECDSA-P384":
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	}
	return nil, fmt.Errorf("unknown key algorithm %s", algorithm)
}

func keyPEM(key crypto.Signer) ([]byte, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), nil
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
	}
	return nil, fmt.Errorf("unexpected key type %T", key)
}

func template(s spec, now time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	name := pkix.Name{}
	for _, rdn := range s.Subject {
		switch rdn[0] {
		case "CN":
			name.CommonName = rdn[1]
		case "O":
			name.Organization = append(name.Organization, rdn[1])
		}
	}
	t := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               name,
		NotBefore:             now.Add(-5 * time.Minute),
		NotAfter:              now.Add(time.Duration(s.ValidityDays) * 24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  s.IsCA,
		DNSNames:              s.DNS,
	}
	for _, usage := range s.KeyUsages {
		t.KeyUsage |= keyUsageBits[usage]
	}
	for _, usage := range s.ExtKeyUsages {
		t.ExtKeyUsage = append(t.ExtKeyUsage, extKeyUsages[usage])
	}
	for _, ip := range s.IP {
		t.IPAddresses = append(t.IPAddresses, net.ParseIP(ip))
	}
	return t, nil
}

func writePEMs(dir string, s spec, der []byte, key crypto.Signer) error {
	keyBytes, err := keyPEM(key)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, s.File+".key"), keyBytes, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, s.File+".crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func main() {
	workloadFile := flag.String("workload", "", "workload JSON")
	outDir := flag.String("out", "", "output directory")
	concurrency := flag.Int("concurrency", 0, "key generations in flight (0: all)")
	flag.Parse()
	start := time.Now()
	raw, err := os.ReadFile(*workloadFile)
	if err != nil {
		fail(err)
	}
	var w workload
	if err := json.Unmarshal(raw, &w); err != nil {
		fail(err)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fail(err)
	}
	limit := *concurrency
	if limit <= 0 {
		limit = len(w.Certificates) + 1
	}
	slots := make(chan struct{}, limit)
	generate := func() (crypto.Signer, error) {
		slots <- struct{}{}
		defer func() { <-slots }()
		return newKey(w.KeyAlgorithm)
	}

	now := time.Now()
	// Each CA is published once made; its leaves wait for it.
	cas := map[string]*issued{}
	ready := map[string]chan struct{}{}
	for _, s := range w.Certificates {
		if s.IsCA {
			ready[s.ID] = make(chan struct{})
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan error, len(w.Certificates)+1)
	for _, s := range w.Certificates {
		wg.Add(1)
		go func(s spec) {
			defer wg.Done()
			key, err := generate()
			if err != nil {
				errs <- err
				return
			}
			t, err := template(s, now)
			if err != nil {
				errs <- err
				return
			}
			var der []byte
			if s.IsCA {
				der, err = x509.CreateCertificate(rand.Reader, t, t, key.Public(), key)
				if err == nil {
					var cert *x509.Certificate
					cert, err = x509.ParseCertificate(der)
					mu.Lock()
					cas[s.ID] = &issued{cert: cert, key: key}
					mu.Unlock()
					close(ready[s.ID])
				}
			} else {
				<-ready[s.Signer]
				mu.Lock()
				ca := cas[s.Signer]
				mu.Unlock()
				if ca.cert == nil {
					errs <- fmt.Errorf("%s: CA %s failed", s.ID, s.Signer)
					return
				}
				der, err = x509.CreateCertificate(rand.Reader, t, ca.cert, key.Public(), ca.key)
			}
			if err == nil {
				err = writePEMs(*outDir, s, der, key)
			}
			if err != nil {
				errs <- fmt.Errorf("%s: %w", s.ID, err)
			}
		}(s)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		key, err := generate()
		if err == nil {
			var keyBytes, pub []byte
			keyBytes, err = keyPEM(key)
			if err == nil {
				pub, err = x509.MarshalPKIXPublicKey(key.Public())
			}
			if err == nil {
				err = os.WriteFile(filepath.Join(*outDir, "sa.key"), keyBytes, 0o600)
			}
			if err == nil {
				err = os.WriteFile(filepath.Join(*outDir, "sa.pub"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644)
			}
		}
		if err != nil {
			errs <- fmt.Errorf("sa: %w", err)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		fail(err)
	}
	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	elapsed := time.Since(start)
	fmt.Printf("{\"inProcessMs\":%.3f,\"maxRssKb\":%d,\"certificates\":%d,\"keys\":%d,\"concurrency\":%d}\n",
		float64(elapsed.Microseconds())/1000, usage.Maxrss, len(w.Certificates), len(w.Certificates)+1, limit)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "clusterpki:", err)
	os.Exit(1)
}
