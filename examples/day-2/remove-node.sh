# A worker leaves: its files are reported and kept until --prune moves them to the backup folder.
set -eu
kubepki init --out ./pki --control-plane cp-1=192.168.10.10 --worker worker-1=192.168.10.21 --worker worker-2=192.168.10.22 --key-algorithm ECDSA-P256 >/dev/null 2>&1
kubepki apply ./pki --remove-node worker-2 --dry-run
echo
kubepki apply ./pki --remove-node worker-2 --prune --yes
ls ./pki/tmp/kubepki-backup-*/nodes
