// Extended key usages: serverAuth for servers, clientAuth for clients, both for etcd (reference §1.1, §7 items 11, 27).
import { signHint } from "../hints.js";
import type { RoleRule } from "./context.js";

export const checkUsages: RoleRule = (ctx, add) => {
  const { role, spec, profile } = ctx;
  const cert = ctx.entry.certificate;
  if (profile.isCa) return;
  if (cert.version < 3) {
    add(
      "warning",
      "MISSING_EKU",
      `no extendedKeyUsage: the certificate is not scoped to ${profile.extKeyUsages.join(" and ")} (it would pass as ${profile.extKeyUsages.includes("serverAuth") ? "a client" : "a server"} certificate too)`,
      `add extendedKeyUsage=${profile.extKeyUsages.join(",")}: ${signHint(ctx, role, spec?.sans ?? [])}`,
      "§1.1, §7 item 11",
    );
    return;
  }
  const wanted = profile.extKeyUsages;
  const ekus = cert.extKeyUsages;
  const hint = signHint(ctx, role, spec?.sans ?? []);
  if (ekus === undefined) {
    add(
      "warning",
      "MISSING_EKU",
      `no extendedKeyUsage: accepted by Go as "any", but not scoped to ${wanted.join(" and ")}`,
      `add extendedKeyUsage=${wanted.join(",")}: ${hint}`,
      "§1.1, §7 items 11, 27",
    );
  } else if (!ekus.includes("any")) {
    const missing = wanted.filter((usage) => !ekus.includes(usage));
    if (missing.length > 0) {
      add(
        "error",
        "MISSING_EKU",
        `extendedKeyUsage ${ekus.join(", ") || "(empty)"} lacks ${missing.join(", ")}: Go refuses it for ${missing.includes("serverAuth") ? "serving" : "client authentication"}${role === "etcd-server" || role === "etcd-peer" ? " (etcd needs both serverAuth and clientAuth)" : ""}`,
        `issue it with extendedKeyUsage=${wanted.join(",")}: ${hint}`,
        role === "etcd-server" || role === "etcd-peer" ? "§1.1, §7 item 27" : "§1.1",
      );
    }
    const extra = ekus.filter((usage) => !wanted.includes(usage as (typeof wanted)[number]));
    if (extra.length > 0) {
      add(
        "warning",
        "EXTRA_EKU",
        `extendedKeyUsage also allows ${extra.join(", ")}; kubeadm gives this role only ${wanted.join(", ")}`,
        `issue it with extendedKeyUsage=${wanted.join(",")}`,
        "§1.1",
      );
    }
  }
  const usages = cert.keyUsages;
  if (usages === undefined) {
    add(
      "warning",
      "WRONG_KEY_USAGE",
      "no keyUsage extension (kubeadm: critical digitalSignature, keyEncipherment)",
      `add keyUsage=critical,digitalSignature,keyEncipherment: ${hint}`,
      "§1.2",
    );
    return;
  }
  if (!usages.includes("digitalSignature")) {
    add(
      "error",
      "WRONG_KEY_USAGE",
      `keyUsage ${usages.join(", ") || "(empty)"} lacks digitalSignature: TLS handshakes need it (openssl verify -purpose ssl${wanted.includes("serverAuth") ? "server" : "client"} refuses it)`,
      `issue it with keyUsage=critical,digitalSignature,keyEncipherment: ${hint}`,
      "§1.2, §7 item 13",
    );
  }
  if (usages.includes("keyCertSign") || usages.includes("cRLSign")) {
    add(
      "error",
      "WRONG_KEY_USAGE",
      `keyUsage ${usages.join(", ")} on a leaf allows signing certificates/CRLs`,
      `issue it with keyUsage=critical,digitalSignature,keyEncipherment: ${hint}`,
      "§1.2",
    );
  }
  if (
    wanted.includes("serverAuth") &&
    cert.keyAlgorithm?.startsWith("RSA") &&
    !usages.includes("keyEncipherment") &&
    usages.includes("digitalSignature")
  ) {
    add(
      "warning",
      "WRONG_KEY_USAGE",
      "RSA server certificate without keyEncipherment: TLS 1.2 RSA key exchange needs it (kubeadm sets it)",
      "issue it with keyUsage=critical,digitalSignature,keyEncipherment",
      "§1.2",
    );
  }
};
