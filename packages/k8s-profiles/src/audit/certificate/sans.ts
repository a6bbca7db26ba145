// SANs: the names and addresses clients dial must be in the serving certificates; clients carry none (reference §2, §4).
import type { SubjectAltName } from "@kubepki/core";
import { APISERVER_SERVICE_FQDN_PREFIX, APISERVER_SERVICE_NAMES, ETCD_LOOPBACK_SANS } from "../../roles/constants.js";
import { type CertSpec, type Role, type RoleProfile, roleProfile } from "../../roles/profiles.js";
import { sameSan, sanText, signHint } from "../hints.js";
import type { RoleRule } from "./context.js";

/** The SANs a role needs: the exact kubeadm set with a config, the unavoidable minimum without. */
function requiredSans(
  role: Role,
  spec: CertSpec | undefined,
): { sans: readonly SubjectAltName[]; atLeastOne: boolean } | undefined {
  if (spec && spec.sans.length > 0 && !roleProfile(role).isCa) return { sans: spec.sans, atLeastOne: true };
  switch (role) {
    case "apiserver":
      // Without a config only what every API server certificate carries (reference §2.1 items
      // 2-3, kubeadm's default serviceSubnet 10.96.0.0/12).
      return {
        sans: [
          ...APISERVER_SERVICE_NAMES.map((value): SubjectAltName => ({ type: "dns", value })),
          { type: "dns", value: `${APISERVER_SERVICE_FQDN_PREFIX}.cluster.local` },
          { type: "ip", value: "10.96.0.1" },
        ],
        atLeastOne: true,
      };
    case "etcd-server":
      return {
        sans: [
          { type: "dns", value: ETCD_LOOPBACK_SANS.dns[0] },
          { type: "ip", value: ETCD_LOOPBACK_SANS.ips[0] },
        ],
        atLeastOne: true,
      };
    case "etcd-peer":
    case "kubelet-serving":
      return { sans: [], atLeastOne: true };
    default:
      return undefined;
  }
}

export const checkSans: RoleRule = (ctx, add) => {
  const { role, spec } = ctx;
  const cert = ctx.entry.certificate;
  const present = cert.subjectAltNames;
  if (role === "kubelet-client" && present.length > 0) {
    add(
      "warning",
      "UNEXPECTED_SAN",
      `SANs ${present.map(sanText).join(", ")} on a kubelet client certificate: the kube-apiserver-client-kubelet signer refuses any SAN, so rotation would not reproduce it`,
      "issue it without subjectAltName",
      "§4.1",
    );
    return;
  }
  const required = requiredSans(role, spec);
  if (!required) return;
  const missing = required.sans.filter((want) => !present.some((have) => sameSan(have, want)));
  const none = present.filter((san) => san.type === "dns" || san.type === "ip").length === 0;
  if (missing.length === 0 && !(required.atLeastOne && none)) return;
  const all = required.sans.length > 0 ? required.sans : [];
  // What breaks, by the table's SAN rule of the role.
  const why: Partial<Record<RoleProfile["sans"], string>> = {
    apiserver: 'clients that dial these names get "x509: certificate is not valid for …"',
    "etcd-server": "the API server and etcdctl dial https://127.0.0.1:2379 and cannot verify it",
    "etcd-peer": "peers cannot verify each other (--peer-client-cert-auth)",
    "kubelet-serving":
      "the API server cannot verify the kubelet; the kubelet-serving signer needs at least one DNS/IP SAN",
  };
  add(
    "error",
    "MISSING_SAN",
    `${none ? "no DNS/IP SANs at all" : `missing SANs ${missing.map(sanText).join(", ")}`}: ${why[roleProfile(role).sans] ?? "clients cannot verify it"}${ctx.config ? "" : " (checked without a cluster config: only the names every cluster needs)"}`,
    `re-issue it with subjectAltName=${all.length ? all.map(sanText).join(",") : "DNS:<node name>,IP:<node address>"} — note openssl x509 -req drops the CSR's SANs unless -copy_extensions copyall or -extfile is given: ${signHint(ctx, role, all)}`,
    role === "apiserver"
      ? "§2.1, §7 items 13-14"
      : role === "kubelet-serving"
        ? "§4.2, §7 item 29"
        : "§2.2, §7 item 27",
  );
};
