# Quick start (CLI): the same cluster from the shell, then the two checks.
set -eu
# Installed (npm i -g @kubepki/cli), kubepki is on PATH; in the kubepki checkout, it is the examples' own bin.
command -v kubepki >/dev/null || PATH="$(cd "$(dirname "$0")/.." && pwd)/node_modules/.bin:$PATH"
kubepki init --out ./pki --control-plane cp-1=192.168.10.10 --worker worker-1=192.168.10.21 \
  --control-plane-endpoint k8s-api.example.com:6443 --key-algorithm ECDSA-P256 2>/dev/null
kubepki audit ./pki            # exit 1 on any error-level finding
kubepki check-expiration ./pki # kubeadm's two tables
