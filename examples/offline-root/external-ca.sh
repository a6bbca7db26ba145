# The security team signs every certificate; kubepki makes the keys and requests, checks what comes
# back and assembles the tree. Here openssl plays the external CA: three CAs under kubeadm's names,
# their keys kept in ca-keys/, which kubepki never reads.
set -eu
mkdir -p cadir/etcd ca-keys
for ca in ca front-proxy-ca etcd-ca; do
  file=cadir/$ca.crt
  [ "$ca" = etcd-ca ] && file=cadir/etcd/ca.crt
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "ca-keys/$ca.key" -out "$file" \
    -subj "/CN=corp $ca" -days 3650 -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
done

kubepki csr --out ./cluster --ca-dir ./cadir --control-plane cp-1=192.168.10.11 --worker worker-1=192.168.10.21 \
  --key-algorithm ECDSA-P256 2>/dev/null | head -4

# The external CA's side: each request with the CA the signing list names, extensions copied.
sign() { # csr ca certificate days
  openssl x509 -req -in "cluster/$1" -CA "cluster/$(ca_file "$2")" -CAkey "ca-keys/$2.key" -copy_extensions copyall \
    -days "$4" -out "cluster/$3" 2>/dev/null
}
ca_file() { case $1 in ca) echo pki/ca.crt ;; front-proxy-ca) echo pki/front-proxy-ca.crt ;; etcd-ca) echo pki/etcd/ca.crt ;; esac; }
node -e 'for (const r of require("./cluster/csr-signing.json").requests) console.log(r.csr, r.ca, r.certificate, r.days)' >list
grep -v '^pki/apiserver.csr ' list | while read -r csr ca crt days; do sign "$csr" "$ca" "$crt" "$days"; done

# One request is still with the CA: finish names it and writes nothing.
kubepki csr finish ./cluster 2>&1 | head -3 || true
grep '^pki/apiserver.csr ' list | while read -r csr ca crt days; do sign "$csr" "$ca" "$crt" "$days"; done
kubepki csr finish ./cluster
kubepki audit ./cluster | tail -1   # info only: the CAs are external and keep their own names
