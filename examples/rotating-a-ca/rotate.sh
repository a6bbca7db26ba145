# Rotating the cluster CA of a three-control-plane cluster in the three phases, then the
# service-account key; between phases the files are rolled out and the components restarted in
# the order printed.
set -eu
kubepki init --out ./pki --control-plane cp-1=192.168.10.11 --control-plane cp-2=192.168.10.12 --control-plane cp-3=192.168.10.13 --worker worker-1=192.168.10.21 --key-algorithm ECDSA-P256 >/dev/null 2>&1
kubepki rotate ./pki --ca ca begin | sed -n '/Then restart/,$p'
kubepki rotate ./pki status
kubepki rotate ./pki --ca ca reissue | sed -n '/Then restart/,$p'
kubepki rotate ./pki --ca ca finish | sed -n '/Then restart/,$p'
kubepki rotate ./pki --ca sa begin >/dev/null
kubepki rotate ./pki --ca sa reissue | sed -n '/^note:/,/^$/p'
kubepki rotate ./pki --ca sa finish >/dev/null
kubepki audit ./pki
