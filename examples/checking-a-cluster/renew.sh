# Renewing with the CLI: one certificate (or all), new keys, kubeconfigs updated, then audit again.
set -eu
kubepki init --out ./pki --control-plane cp-1=192.168.10.10 --key-algorithm ECDSA-P256 >/dev/null 2>&1
kubepki renew ./pki apiserver
kubepki renew ./pki all --reuse-key
kubepki audit ./pki
