import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type ApiserverPaths,
  apiserverFlags,
  type ControllerManagerPaths,
  controllerManagerFlags,
  type EtcdPaths,
  etcdFlags,
  isKubepkiError,
  KNOWN_FLAGS,
  renderStaticPodCommand,
  schedulerFlags,
} from "../src/index.js";

const PKI = "/etc/kubernetes/pki";
const apiserverPaths: ApiserverPaths = {
  clientCaFile: `${PKI}/ca.crt`,
  tlsCertFile: `${PKI}/apiserver.crt`,
  tlsPrivateKeyFile: `${PKI}/apiserver.key`,
  etcdCaFile: `${PKI}/etcd/ca.crt`,
  etcdCertFile: `${PKI}/apiserver-etcd-client.crt`,
  etcdKeyFile: `${PKI}/apiserver-etcd-client.key`,
  kubeletClientCertificate: `${PKI}/apiserver-kubelet-client.crt`,
  kubeletClientKey: `${PKI}/apiserver-kubelet-client.key`,
  serviceAccountKeyFile: `${PKI}/sa.pub`,
  serviceAccountSigningKeyFile: `${PKI}/sa.key`,
  proxyClientCertFile: `${PKI}/front-proxy-client.crt`,
  proxyClientKeyFile: `${PKI}/front-proxy-client.key`,
  requestheaderClientCaFile: `${PKI}/front-proxy-ca.crt`,
  kubeletCertificateAuthority: `${PKI}/ca.crt`,
};
const cmPaths: ControllerManagerPaths = {
  kubeconfig: "/etc/kubernetes/controller-manager.conf",
  clientCaFile: `${PKI}/ca.crt`,
  requestheaderClientCaFile: `${PKI}/front-proxy-ca.crt`,
  rootCaFile: `${PKI}/ca.crt`,
  serviceAccountPrivateKeyFile: `${PKI}/sa.key`,
  clusterSigningCertFile: `${PKI}/ca.crt`,
  clusterSigningKeyFile: `${PKI}/ca.key`,
};
const etcdPaths: EtcdPaths = {
  certFile: `${PKI}/etcd/server.crt`,
  keyFile: `${PKI}/etcd/server.key`,
  trustedCaFile: `${PKI}/etcd/ca.crt`,
  peerCertFile: `${PKI}/etcd/peer.crt`,
  peerKeyFile: `${PKI}/etcd/peer.key`,
  peerTrustedCaFile: `${PKI}/etcd/ca.crt`,
  dataDir: "/var/lib/etcd",
};

const names = (flags: readonly string[]) => flags.map((f) => /^--([^=]+)=/.exec(f)![1]!);
const asMap = (flags: readonly string[]) =>
  Object.fromEntries(flags.map((f) => [/^--([^=]+)=/.exec(f)![1]!, f.slice(f.indexOf("=") + 1)]));

describe("flag names are ones the real binaries accept", () => {
  const cases = {
    "kube-apiserver": {
      known: KNOWN_FLAGS.kubeApiserver,
      outputs: [
        apiserverFlags({ advertiseAddress: "192.168.10.11", serviceSubnets: "10.96.0.0/12", paths: apiserverPaths }),
        apiserverFlags({
          advertiseAddress: "fd00::11",
          serviceSubnets: ["fd00:10:96::/112", "10.96.0.0/12"],
          paths: apiserverPaths,
          kubeletServingCertificates: "ca-signed",
        }),
      ],
    },
    "kube-controller-manager": {
      known: KNOWN_FLAGS.kubeControllerManager,
      outputs: [
        controllerManagerFlags({ paths: cmPaths, podSubnet: "10.244.0.0/16", serviceSubnets: "10.96.0.0/12" }),
        controllerManagerFlags({ paths: cmPaths, externalCa: true }),
      ],
    },
    "kube-scheduler": {
      known: KNOWN_FLAGS.kubeScheduler,
      outputs: [schedulerFlags({ paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } })],
    },
    "etcd 3.5": {
      known: KNOWN_FLAGS.etcd35,
      outputs: [etcdFlags({ nodeName: "cp-1", advertiseAddress: "192.168.10.11", paths: etcdPaths })],
    },
    "etcd 3.6": {
      known: KNOWN_FLAGS.etcd36,
      outputs: [
        etcdFlags({ nodeName: "cp-1", advertiseAddress: "192.168.10.11", paths: etcdPaths, etcdVersion: "3.6" }),
      ],
    },
  };
  for (const [component, { known, outputs }] of Object.entries(cases)) {
    it(`${component}: every rendered flag is in the checked-in list`, () => {
      for (const flags of outputs) {
        for (const name of names(flags)) expect(known, `--${name}`).toContain(name);
      }
    });
  }

  it("the tutorial's invented kube-apiserver flags are not real flags (reference §7 item 17)", () => {
    for (const invented of ["etcd-ca-file", "kubelet-ca-file", "kubelet-certfile", "kubelet-keyfile"]) {
      expect(KNOWN_FLAGS.kubeApiserver).not.toContain(invented);
    }
    for (const real of [
      "etcd-cafile",
      "kubelet-certificate-authority",
      "kubelet-client-certificate",
      "kubelet-client-key",
    ]) {
      expect(KNOWN_FLAGS.kubeApiserver).toContain(real);
    }
    const rendered = names(
      apiserverFlags({
        advertiseAddress: "192.168.10.11",
        serviceSubnets: "10.96.0.0/12",
        paths: apiserverPaths,
        kubeletServingCertificates: "ca-signed",
      }),
    );
    for (const invented of ["etcd-ca-file", "kubelet-ca-file", "kubelet-certfile", "kubelet-keyfile"])
      expect(rendered).not.toContain(invented);
  });
});

describe("apiserverFlags", () => {
  it("renders kubeadm's values (reference §5.1), sorted by name", () => {
    const flags = apiserverFlags({
      advertiseAddress: "192.168.10.11",
      serviceSubnets: "10.96.0.0/12",
      paths: apiserverPaths,
    });
    expect(names(flags)).toEqual([...names(flags)].sort());
    expect(asMap(flags)).toEqual({
      "advertise-address": "192.168.10.11",
      "allow-privileged": "true",
      "authorization-mode": "Node,RBAC",
      "client-ca-file": `${PKI}/ca.crt`,
      "enable-admission-plugins": "NodeRestriction",
      "enable-bootstrap-token-auth": "true",
      "etcd-cafile": `${PKI}/etcd/ca.crt`,
      "etcd-certfile": `${PKI}/apiserver-etcd-client.crt`,
      "etcd-keyfile": `${PKI}/apiserver-etcd-client.key`,
      "etcd-servers": "https://127.0.0.1:2379",
      "kubelet-client-certificate": `${PKI}/apiserver-kubelet-client.crt`,
      "kubelet-client-key": `${PKI}/apiserver-kubelet-client.key`,
      "kubelet-preferred-address-types": "InternalIP,ExternalIP,Hostname",
      "proxy-client-cert-file": `${PKI}/front-proxy-client.crt`,
      "proxy-client-key-file": `${PKI}/front-proxy-client.key`,
      "requestheader-allowed-names": "front-proxy-client",
      "requestheader-client-ca-file": `${PKI}/front-proxy-ca.crt`,
      "requestheader-extra-headers-prefix": "X-Remote-Extra-",
      "requestheader-group-headers": "X-Remote-Group",
      "requestheader-username-headers": "X-Remote-User",
      "secure-port": "6443",
      "service-account-issuer": "https://kubernetes.default.svc.cluster.local",
      "service-account-key-file": `${PKI}/sa.pub`,
      "service-account-signing-key-file": `${PKI}/sa.key`,
      "service-cluster-ip-range": "10.96.0.0/12",
      "tls-cert-file": `${PKI}/apiserver.crt`,
      "tls-private-key-file": `${PKI}/apiserver.key`,
    });
  });

  it("sets --kubelet-certificate-authority only when kubelets serve CA-signed certificates (§7 item 21)", () => {
    const base = { advertiseAddress: "192.168.10.11", serviceSubnets: "10.96.0.0/12", paths: apiserverPaths } as const;
    expect(names(apiserverFlags(base))).not.toContain("kubelet-certificate-authority");
    expect(
      asMap(apiserverFlags({ ...base, kubeletServingCertificates: "ca-signed" }))["kubelet-certificate-authority"],
    ).toBe(`${PKI}/ca.crt`);
    const { kubeletCertificateAuthority: _, ...withoutCa } = apiserverPaths;
    expect(() => apiserverFlags({ ...base, paths: withoutCa, kubeletServingCertificates: "ca-signed" })).toThrowError(
      /paths.kubeletCertificateAuthority/,
    );
  });

  it("IPv6: loopback etcd is [::1], dual-stack ranges are kept, the issuer follows dnsDomain", () => {
    const flags = asMap(
      apiserverFlags({
        advertiseAddress: "fd00::11",
        serviceSubnets: ["fd00:10:96::/112", "10.96.0.0/12"],
        dnsDomain: "corp.example",
        paths: apiserverPaths,
      }),
    );
    expect(flags["etcd-servers"]).toBe("https://[::1]:2379");
    expect(flags["service-cluster-ip-range"]).toBe("fd00:10:96::/112,10.96.0.0/12");
    expect(flags["service-account-issuer"]).toBe("https://kubernetes.default.svc.corp.example");
  });

  it("extraArgs replace defaults of the same name (kubeadm ArgumentsToCommand)", () => {
    const flags = apiserverFlags({
      advertiseAddress: "192.168.10.11",
      serviceSubnets: "10.96.0.0/12",
      paths: apiserverPaths,
      extraArgs: [
        { name: "authorization-mode", value: "Node,RBAC,Webhook" },
        { name: "audit-log-path", value: "-" },
      ],
    });
    expect(flags.filter((f) => f.startsWith("--authorization-mode="))).toEqual([
      "--authorization-mode=Node,RBAC,Webhook",
    ]);
    expect(flags).toContain("--audit-log-path=-");
    expect(names(flags)).toEqual([...names(flags)].sort());
  });

  it("refuses missing paths and bad addresses with typed errors", () => {
    const bad: [() => unknown, string][] = [
      [
        () => apiserverFlags({ advertiseAddress: "192.168.10.11", serviceSubnets: "10.96.0.0/12" } as never),
        "INVALID_ARGUMENT",
      ],
      [
        () => apiserverFlags({ advertiseAddress: "cp-1", serviceSubnets: "10.96.0.0/12", paths: apiserverPaths }),
        "INVALID_IP",
      ],
      [
        () => apiserverFlags({ advertiseAddress: "192.168.10.11", serviceSubnets: "10.96.0.0", paths: apiserverPaths }),
        "INVALID_IP",
      ],
      [
        () =>
          apiserverFlags({
            advertiseAddress: "192.168.10.11",
            serviceSubnets: "10.96.0.0/12",
            dnsDomain: "cluster..local",
            paths: apiserverPaths,
          }),
        "INVALID_DNS_NAME",
      ],
      [
        () =>
          apiserverFlags({
            advertiseAddress: "192.168.10.11",
            serviceSubnets: "10.96.0.0/12",
            paths: { ...apiserverPaths, etcdCaFile: "" },
          }),
        "INVALID_ARGUMENT",
      ],
      [
        () =>
          apiserverFlags({
            advertiseAddress: "192.168.10.11",
            serviceSubnets: "10.96.0.0/12",
            paths: apiserverPaths,
            extraArgs: [{ name: "--v", value: "2" }],
          }),
        "INVALID_ARGUMENT",
      ],
    ];
    for (const [fn, code] of bad) {
      let caught: unknown;
      try {
        fn();
      } catch (error) {
        caught = error;
      }
      expect(isKubepkiError(caught, code as never), String(fn)).toBe(true);
    }
  });
});

describe("controllerManagerFlags / schedulerFlags", () => {
  it("controller-manager: kubeadm's values (reference §5.2)", () => {
    const flags = asMap(
      controllerManagerFlags({ paths: cmPaths, podSubnet: "10.244.0.0/16", serviceSubnets: "10.96.0.0/12" }),
    );
    expect(flags).toEqual({
      "allocate-node-cidrs": "true",
      "authentication-kubeconfig": "/etc/kubernetes/controller-manager.conf",
      "authorization-kubeconfig": "/etc/kubernetes/controller-manager.conf",
      "bind-address": "127.0.0.1",
      "client-ca-file": `${PKI}/ca.crt`,
      "cluster-cidr": "10.244.0.0/16",
      "cluster-name": "kubernetes",
      "cluster-signing-cert-file": `${PKI}/ca.crt`,
      "cluster-signing-key-file": `${PKI}/ca.key`,
      controllers: "*,bootstrapsigner,tokencleaner",
      kubeconfig: "/etc/kubernetes/controller-manager.conf",
      "leader-elect": "true",
      "requestheader-client-ca-file": `${PKI}/front-proxy-ca.crt`,
      "root-ca-file": `${PKI}/ca.crt`,
      "service-account-private-key-file": `${PKI}/sa.key`,
      "service-cluster-ip-range": "10.96.0.0/12",
      "use-service-account-credentials": "true",
    });
  });

  it("controller-manager in external-CA mode passes empty signing flags (reference §8.3)", () => {
    const { clusterSigningCertFile: _c, clusterSigningKeyFile: _k, ...paths } = cmPaths;
    const flags = controllerManagerFlags({ paths, externalCa: true });
    expect(flags).toContain("--cluster-signing-cert-file=");
    expect(flags).toContain("--cluster-signing-key-file=");
    expect(names(flags)).not.toContain("allocate-node-cidrs");
    expect(() => controllerManagerFlags({ paths })).toThrowError(/paths.clusterSigningCertFile/);
  });

  it("scheduler: kubeconfig ×3, loopback bind, leader election, no certificate flags (reference §5.3)", () => {
    expect(schedulerFlags({ paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } })).toEqual([
      "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
      "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
      "--bind-address=127.0.0.1",
      "--kubeconfig=/etc/kubernetes/scheduler.conf",
      "--leader-elect=true",
    ]);
  });
});

describe("etcdFlags", () => {
  it("kubeadm's stacked-member values (reference §5.4)", () => {
    expect(asMap(etcdFlags({ nodeName: "cp-1", advertiseAddress: "192.168.10.11", paths: etcdPaths }))).toEqual({
      "advertise-client-urls": "https://192.168.10.11:2379",
      "cert-file": `${PKI}/etcd/server.crt`,
      "client-cert-auth": "true",
      "data-dir": "/var/lib/etcd",
      "experimental-initial-corrupt-check": "true",
      "experimental-watch-progress-notify-interval": "5s",
      "initial-advertise-peer-urls": "https://192.168.10.11:2380",
      "initial-cluster": "cp-1=https://192.168.10.11:2380",
      "key-file": `${PKI}/etcd/server.key`,
      "listen-client-urls": "https://127.0.0.1:2379,https://192.168.10.11:2379",
      "listen-metrics-urls": "http://127.0.0.1:2381",
      "listen-peer-urls": "https://192.168.10.11:2380",
      name: "cp-1",
      "peer-cert-file": `${PKI}/etcd/peer.crt`,
      "peer-client-cert-auth": "true",
      "peer-key-file": `${PKI}/etcd/peer.key`,
      "peer-trusted-ca-file": `${PKI}/etcd/ca.crt`,
      "snapshot-count": "10000",
      "trusted-ca-file": `${PKI}/etcd/ca.crt`,
    });
  });

  it("brackets IPv6 in every URL and uses ::1 as loopback", () => {
    const flags = asMap(
      etcdFlags({
        nodeName: "cp-1",
        advertiseAddress: "FD00:0:0:0:0:0:0:11",
        paths: etcdPaths,
        initialCluster: [
          { name: "cp-1", address: "fd00::11" },
          { name: "cp-2", address: "fd00::12", peerPort: 12380 },
        ],
      }),
    );
    expect(flags["listen-client-urls"]).toBe("https://[::1]:2379,https://[fd00::11]:2379");
    expect(flags["advertise-client-urls"]).toBe("https://[fd00::11]:2379");
    expect(flags["listen-peer-urls"]).toBe("https://[fd00::11]:2380");
    expect(flags["listen-metrics-urls"]).toBe("http://[::1]:2381");
    expect(flags["initial-cluster"]).toBe("cp-1=https://[fd00::11]:2380,cp-2=https://[fd00::12]:12380");
    expect(flags["initial-cluster-state"]).toBe("existing");
  });

  it("etcd 3.6 spelling of the corruption-check and watch-progress flags", () => {
    const flags = asMap(
      etcdFlags({ nodeName: "cp-1", advertiseAddress: "10.0.0.1", paths: etcdPaths, etcdVersion: "3.6" }),
    );
    expect(flags["feature-gates"]).toBe("InitialCorruptCheck=true");
    expect(flags["watch-progress-notify-interval"]).toBe("5s");
    expect(Object.keys(flags).some((n) => n.startsWith("experimental-"))).toBe(false);
  });
});

describe("renderStaticPodCommand", () => {
  it("is a YAML command: list that parses back to [binary, ...flags]", () => {
    const { clusterSigningCertFile: _c, clusterSigningKeyFile: _k, ...paths } = cmPaths;
    const flags = [
      ...controllerManagerFlags({ paths, externalCa: true }),
      "--v=2",
      "--feature-gates=A=true,B=false",
      "--x=a: b #c",
    ];
    const text = renderStaticPodCommand("kube-controller-manager", flags);
    expect(text.startsWith("command:\n- kube-controller-manager\n- --authentication-kubeconfig=")).toBe(true);
    expect(parse(text, { version: "1.1" })).toEqual({ command: ["kube-controller-manager", ...flags] });
    expect(() => renderStaticPodCommand("", flags)).toThrowError(/binary/);
    expect(() => renderStaticPodCommand("etcd", ["name=x"])).toThrowError(/not a --name=value flag/);
  });
});
