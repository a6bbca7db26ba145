// Step 8: node01's kubelet: its serving certificate (apiserver → kubelet :10250) and its client
// certificate (kubelet → apiserver), then the KubeletConfiguration that points at them.
import { certSpec, planCluster } from "@kubepki/k8s-profiles";
import { renderKubeletConfig } from "@kubepki/renderers";
import { config, show } from "./cluster.mjs";

show(certSpec(config, "kubelet-serving", "node01"));
show(certSpec(config, "kubelet-client", "node01"));

const kubelet = planCluster(config).kubeletConfigs.find((spec) => spec.node === "node01");
console.log(
  renderKubeletConfig({
    clientCAFile: kubelet.clientCAFile,
    clusterDomain: kubelet.clusterDomain, // cluster.local (the tutorial's "cluser.local" is a typo)
    clusterDNS: kubelet.clusterDNS, // 10.96.0.10: the 10th address of the same service CIDR
    tls: { certFile: kubelet.tlsCertFile, keyFile: kubelet.tlsPrivateKeyFile },
    resolvConf: "/run/systemd/resolve/resolv.conf", // resolv.conf, not "resolve.conf"
  }),
);
