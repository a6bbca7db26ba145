import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { caught } from "../../core/test/helpers/caught.js";
import { ETCD_IMAGE_TAGS, kubernetesRelease, renderStaticPodManifest, schedulerFlags } from "../src/index.js";

const flags = ["--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"];

describe("renderStaticPodManifest", () => {
  it("writes kubeadm's Pod: kube-system, labels, hostNetwork, priority, seccomp, image, requests", () => {
    const pod = parse(
      renderStaticPodManifest({
        component: "kube-scheduler",
        flags: schedulerFlags({ paths: { kubeconfig: "/etc/kubernetes/scheduler.conf" } }),
        kubernetesVersion: "v1.34.2",
        advertiseAddress: "192.168.10.11",
      }),
    );
    expect(pod).toMatchObject({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "kube-scheduler",
        namespace: "kube-system",
        labels: { component: "kube-scheduler", tier: "control-plane" },
      },
      spec: {
        hostNetwork: true,
        priority: 2000001000,
        priorityClassName: "system-node-critical",
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        volumes: [{ name: "kubeconfig", hostPath: { path: "/etc/kubernetes/scheduler.conf", type: "FileOrCreate" } }],
      },
      status: {},
    });
    const [container] = pod.spec.containers;
    expect(container.image).toBe("registry.k8s.io/kube-scheduler:v1.34.2");
    expect(container.command[0]).toBe("kube-scheduler");
    expect(container.resources).toEqual({ requests: { cpu: "100m" } });
    expect(container.livenessProbe.httpGet).toEqual({
      host: "127.0.0.1",
      path: "/healthz",
      port: 10259,
      scheme: "HTTPS",
    });
    expect(container.readinessProbe).toBeUndefined();
    expect(container.volumeMounts).toEqual([
      { name: "kubeconfig", mountPath: "/etc/kubernetes/scheduler.conf", readOnly: true },
    ]);
  });

  it("the API server is probed on its advertise address and port; IPv6 bracketed in the annotation", () => {
    const pod = parse(
      renderStaticPodManifest({
        component: "kube-apiserver",
        flags,
        kubernetesVersion: "1.33",
        advertiseAddress: "fd00::0011",
        securePort: 7443,
      }),
    );
    expect(pod.metadata.annotations).toEqual({
      "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": "[fd00::11]:7443",
    });
    const [container] = pod.spec.containers;
    expect(container.livenessProbe.httpGet).toEqual({ host: "fd00::11", path: "/livez", port: 7443, scheme: "HTTPS" });
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.startupProbe.failureThreshold).toBe(24);
    expect(pod.spec.volumes.map((v: { name: string }) => v.name)).toEqual(["ca-certs", "k8s-certs"]);
  });

  it("etcd: the tag kubeadm pairs with the minor, its data and certificates mounted read-write", () => {
    for (const [minor, tag] of Object.entries(ETCD_IMAGE_TAGS)) {
      const pod = parse(
        renderStaticPodManifest({ component: "etcd", flags, kubernetesVersion: minor, advertiseAddress: "10.0.0.1" }),
      );
      expect(pod.spec.containers[0].image).toBe(`registry.k8s.io/etcd:${tag}`);
    }
    const pod = parse(
      renderStaticPodManifest({
        component: "etcd",
        flags,
        kubernetesVersion: "1.34",
        advertiseAddress: "10.0.0.1",
        etcdDataDir: "/data/etcd",
      }),
    );
    expect(pod.metadata.annotations).toEqual({
      "kubeadm.kubernetes.io/etcd.advertise-client-urls": "https://10.0.0.1:2379",
    });
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { name: "etcd-certs", mountPath: "/etc/kubernetes/pki/etcd" },
      { name: "etcd-data", mountPath: "/data/etcd" },
    ]);
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: "100m", memory: "100Mi" });
    expect(pod.spec.containers[0].livenessProbe.httpGet).toEqual({
      host: "127.0.0.1",
      path: "/livez",
      port: 2381,
      scheme: "HTTP",
    });
  });

  it("refuses an unknown component, version, address, port or flag with a stable code", async () => {
    const base = {
      component: "kube-apiserver" as const,
      flags,
      kubernetesVersion: "1.34",
      advertiseAddress: "10.0.0.1",
    };
    expect(await caught(() => renderStaticPodManifest({ ...base, component: "kubelet" as never }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { field: "component" },
    });
    for (const version of ["1.29", "1.35", "latest", "v2.0"]) {
      expect(await caught(() => renderStaticPodManifest({ ...base, kubernetesVersion: version }))).toMatchObject({
        code: "INVALID_ARGUMENT",
        details: { field: "kubernetesVersion" },
      });
    }
    expect(await caught(() => renderStaticPodManifest({ ...base, advertiseAddress: "cp-1" }))).toMatchObject({
      code: "INVALID_IP",
    });
    expect(await caught(() => renderStaticPodManifest({ ...base, securePort: 70000 }))).toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    expect(await caught(() => renderStaticPodManifest({ ...base, flags: ["-v=2\n- evil"] }))).toMatchObject({
      code: "INVALID_ARGUMENT",
      details: { field: "flags" },
    });
  });

  it("kubernetesRelease: the minor and the image tag", () => {
    expect(kubernetesRelease("v1.30.7")).toEqual({ minor: "1.30", tag: "v1.30.7" });
    expect(kubernetesRelease("1.34")).toEqual({ minor: "1.34", tag: "v1.34.0" });
  });
});
