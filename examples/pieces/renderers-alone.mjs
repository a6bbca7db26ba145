// The renderers without core: plain data in, text out — no crypto, no Node built-ins. Bring PEM
// from anywhere (cert-manager, Vault, openssl) and get kubeadm's kubeconfig and flags.
import {
  apiserverFlags,
  renderKubeletConfig,
  renderSimpleKubeconfig,
  renderStaticPodCommand,
} from "@kubepki/renderers";

const pem = (label) => `-----BEGIN ${label}-----\nMIIB…\n-----END ${label}-----\n`; // stand-ins

// admin.conf as kubeadm writes it: everything embedded, context kubernetes-admin@kubernetes.
console.log(
  renderSimpleKubeconfig({
    server: "https://k8s-api.example.com:6443",
    caCertificate: { pem: pem("CERTIFICATE") },
    user: {
      name: "kubernetes-admin",
      clientCertificate: { pem: pem("CERTIFICATE") },
      clientKey: { pem: pem("EC PRIVATE KEY") },
    },
  }),
);

// kube-apiserver's flags with the real names (--etcd-cafile, --kubelet-client-certificate, …).
const pki = "/etc/kubernetes/pki";
const flags = apiserverFlags({
  advertiseAddress: "192.168.10.11",
  serviceSubnets: "10.96.0.0/12",
  paths: {
    clientCaFile: `${pki}/ca.crt`,
    tlsCertFile: `${pki}/apiserver.crt`,
    tlsPrivateKeyFile: `${pki}/apiserver.key`,
    etcdCaFile: `${pki}/etcd/ca.crt`,
    etcdCertFile: `${pki}/apiserver-etcd-client.crt`,
    etcdKeyFile: `${pki}/apiserver-etcd-client.key`,
    kubeletClientCertificate: `${pki}/apiserver-kubelet-client.crt`,
    kubeletClientKey: `${pki}/apiserver-kubelet-client.key`,
    serviceAccountKeyFile: `${pki}/sa.pub`,
    serviceAccountSigningKeyFile: `${pki}/sa.key`,
    proxyClientCertFile: `${pki}/front-proxy-client.crt`,
    proxyClientKeyFile: `${pki}/front-proxy-client.key`,
    requestheaderClientCaFile: `${pki}/front-proxy-ca.crt`,
  },
});
console.log(renderStaticPodCommand("kube-apiserver", flags));

// /var/lib/kubelet/config.yaml: clusterDNS is the 10th address of the service CIDR.
console.log(renderKubeletConfig({ clientCAFile: `${pki}/ca.crt`, serviceSubnets: "10.96.0.0/12" }));
