# An offline root, encrypted, and a cluster whose three CAs are its intermediates. The root key
# stays in ./root; the passphrase comes from a file (or $KUBEPKI_PASSPHRASE, or the terminal).
set -eu
printf 'correct horse battery staple\n' >root.pass
kubepki ca init --out ./root --key-algorithm ECDSA-P384 --encrypt --passphrase-file root.pass | head -2
head -1 root/ca.key

kubepki init --out ./cluster --root-ca ./root/ca.crt --root-key ./root/ca.key --root-passphrase-file root.pass \
  --control-plane cp-1=192.168.10.11 --worker worker-1=192.168.10.21 --key-algorithm ECDSA-P256 >/dev/null 2>&1

# Servers send leaf + intermediate; clients trust the intermediate alone (pki/ca.crt is one certificate).
grep -c 'BEGIN CERTIFICATE' cluster/pki/apiserver.crt cluster/pki/ca.crt
openssl x509 -in cluster/pki/ca.crt -noout -subject -issuer -ext basicConstraints
openssl verify -CAfile root/ca.crt -untrusted cluster/pki/ca.crt cluster/pki/apiserver.crt
openssl verify -partial_chain -CAfile cluster/pki/ca.crt cluster/pki/apiserver.crt
kubepki audit ./cluster --root-ca ./root/ca.crt
