/**
 * One table (issue 17): every per-role fact is a column of ROLE_PROFILES, and the stages read the
 * columns instead of keeping their own lists of roles. The expected values below are kubeadm's,
 * from docs/reference/kubeadm-pki.md (its `kubeadm certs check-expiration` names, §1.1, §3, §5.1,
 * §6, §8.1), written out here rather than imported from src.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rolesInScope } from "../src/audit/scope.js";
import { isCaRole } from "../src/files/read-files.js";
import { ROLE_PROFILES, type Role, renewCertificates, roleProfile } from "../src/index.js";
import { kubeadmLocation } from "../src/roles/profiles.js";

const ROLES = ROLE_PROFILES.map((profile) => profile.role);
const column = <K extends keyof (typeof ROLE_PROFILES)[number]>(key: K) =>
  Object.fromEntries(ROLE_PROFILES.map((profile) => [profile.role, profile[key]]));

describe("the role table's columns say what kubeadm does", () => {
  it("name: the one name check-expiration, renew and every command print (kubeadm's)", () => {
    expect(column("name")).toEqual({
      ca: "ca",
      "etcd-ca": "etcd-ca",
      "front-proxy-ca": "front-proxy-ca",
      apiserver: "apiserver",
      "apiserver-kubelet-client": "apiserver-kubelet-client",
      "front-proxy-client": "front-proxy-client",
      "etcd-server": "etcd-server",
      "etcd-peer": "etcd-peer",
      "etcd-healthcheck-client": "etcd-healthcheck-client",
      "apiserver-etcd-client": "apiserver-etcd-client",
      "super-admin": "super-admin.conf",
      admin: "admin.conf",
      "controller-manager": "controller-manager.conf",
      scheduler: "scheduler.conf",
      "kube-proxy": "kube-proxy.conf",
      "kubelet-client": "kubelet.conf",
      "kubelet-serving": "kubelet-serving",
    });
  });

  it("identityInCn: exactly the roles whose CN RBAC, the Node authorizer or the front proxy checks", () => {
    const identities = ROLE_PROFILES.filter((profile) => profile.identityInCn).map((profile) => profile.role);
    expect(identities.sort()).toEqual(
      ["controller-manager", "front-proxy-client", "kube-proxy", "kubelet-client", "scheduler"].sort(),
    );
    expect(roleProfile("scheduler").identityInCn).toBe("rbac");
    expect(roleProfile("kubelet-client").identityInCn).toBe("node-authorizer");
  });

  it("notRenewable: the three CAs and the kubelet's client certificate (the kubelet rotates it)", () => {
    const refused = ROLE_PROFILES.filter((profile) => profile.notRenewable).map((profile) => profile.role);
    expect(refused).toEqual(["ca", "etcd-ca", "front-proxy-ca", "kubelet-client"]);
    expect(roleProfile("kubelet-client").notRenewable).toBe("kubelet-rotates");
  });

  it("requiredOn: kubeadm's control-plane set, and what kubeadm join leaves on a worker", () => {
    expect([...rolesInScope("cluster")].sort()).toEqual(
      [
        "ca",
        "apiserver",
        "apiserver-kubelet-client",
        "front-proxy-ca",
        "front-proxy-client",
        "etcd-ca",
        "etcd-server",
        "etcd-peer",
        "etcd-healthcheck-client",
        "apiserver-etcd-client",
        "admin",
        "controller-manager",
        "scheduler",
      ].sort(),
    );
    expect(rolesInScope("control-plane")).toEqual(rolesInScope("cluster"));
    expect(rolesInScope("node")).toEqual(["ca", "kubelet-client"]);
  });

  it("CAs, etcd and file locations are read from isCa, signer and file", () => {
    expect(ROLES.filter(isCaRole)).toEqual(["ca", "etcd-ca", "front-proxy-ca"]);
    expect(ROLE_PROFILES.filter((profile) => profile.signer === "etcd-ca").map((profile) => profile.role)).toEqual([
      "etcd-server",
      "etcd-peer",
      "etcd-healthcheck-client",
      "apiserver-etcd-client",
    ]);
    expect(
      ["ca", "etcd-ca", "front-proxy-ca", "apiserver", "admin"].map((role) => kubeadmLocation(role as Role)),
    ).toEqual(["pki/ca.crt", "pki/etcd/ca.crt", "pki/front-proxy-ca.crt", "pki/apiserver.crt", "admin.conf"]);
  });

  it("renew names the reason from the table, for kubeadm's name and for the role alike", async () => {
    for (const [name, reason] of [
      ["kubelet.conf", /kubelet rotates/],
      ["kubelet-client:w-1", /kubelet rotates/],
      ["etcd-ca", /a CA: renewing it would invalidate/],
      ["sa", /not a certificate/],
    ] as const) {
      const error = await renewCertificates({}, { names: [name] }).catch((caught: unknown) => caught);
      expect(error, name).toMatchObject({ code: "INVALID_ARGUMENT" });
      expect((error as Error).message, name).toMatch(reason);
    }
  });
});

describe("no stage keeps its own list of roles", () => {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter(
    (file) => file.endsWith(".ts") && file !== "roles/profiles.ts",
  );
  const quoted = new RegExp(`"(${ROLES.join("|")})"`, "g");

  it("outside roles/profiles.ts, no Role[] / Record<Role> / Record<string, Role> / Set<Role> is written out as literals", () => {
    expect(files.length).toBeGreaterThan(20);
    const offences: string[] = [];
    for (const file of files) {
      const code = readFileSync(src + file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      for (const match of code.matchAll(
        /(?:Role\[\]|Record<(?:string, )?Role\b|Set<Role>|Map<(?:string, )?Role\b)[^=;]*=\s*(?:new \w+\()?([[{][^;]*)/g,
      )) {
        const literals = (match[1] ?? "").slice(0, 400).match(quoted) ?? [];
        if (literals.length >= 2) offences.push(`${file}: ${match[0].slice(0, 80)}`);
      }
    }
    expect(offences).toEqual([]);
  });
});
