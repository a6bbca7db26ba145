# Three control-plane nodes and a worker, each node's exact files in its own folder: copying
# DIR/<node>/ to the node's / is the deployment (rsync -a DIR/cp-1/ root@cp-1:/).
set -eu
kubepki init --out ./cluster --layout per-node --kubernetes-version 1.34 \
  --control-plane cp-1=192.168.10.11 --control-plane cp-2=192.168.10.12 --control-plane cp-3=192.168.10.13 \
  --worker worker-1=192.168.10.21 --key-algorithm ECDSA-P256 >/dev/null 2>&1
ls cluster
echo '--- a worker: its kubelet pieces and the cluster CA, no other key'
(cd cluster/worker-1 && find . -type f | sort)
echo '--- a second control-plane node: the shared CAs and sa.*, its own leaves and kubeconfigs, its static Pods'
(cd cluster/cp-2 && find . -type f | sort)
grep -o -- '--initial-cluster=[^"]*' cluster/cp-2/etc/kubernetes/manifests/etcd.yaml
grep 'image:' cluster/cp-2/etc/kubernetes/manifests/*.yaml
kubepki audit ./cluster/cp-2/etc/kubernetes --scope control-plane
kubepki audit ./cluster/worker-1/etc/kubernetes --scope node

# For air-gapped copying: one archive per node, keys 0600 inside and the archive itself 0600.
kubepki bundle ./cluster --format tar.gz --out ./bundles | sed "s/, [0-9]* bytes//"   # sizes vary with the keys
tar -tvzf bundles/worker-1.tar.gz | awk '{print $1, $6}'

# The CAs as Kubernetes objects (a cert-manager CA Issuer can sign with kubepki-ca).
kubepki export ./cluster --secrets --namespace cert-manager | grep -E '^(kind|  name):'
