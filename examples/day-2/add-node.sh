# Day 2 with the CLI: a worker joins, then the load balancer gets a DNS name. plan --against shows
# the difference file by file; apply writes only it, and the CAs never change.
set -eu
kubepki init --out ./pki --control-plane cp-1=192.168.10.10 --worker worker-1=192.168.10.21 --key-algorithm ECDSA-P256 >/dev/null 2>&1
kubepki plan --against ./pki --worker worker-2=192.168.10.22
echo
kubepki apply ./pki --worker worker-2=192.168.10.22 --yes >/dev/null
kubepki apply ./pki --control-plane-endpoint k8s.example.com:6443 --yes
kubepki audit ./pki
