// Version and CA flag: a v1 certificate has no extensions; a CA needs CA:TRUE and keyCertSign,
// a leaf must not be a CA (reference §1.1, §1.2, §1.4; §7 items 1, 10).
import { signHint } from "../hints.js";
import type { RoleRule } from "./context.js";

/** The X.509 version and basicConstraints/keyCertSign against the role's `isCa`. */
export const checkCaFlag: RoleRule = (ctx, add) => {
  const { role, profile, spec } = ctx;
  const cert = ctx.entry.certificate;
  if (cert.version < 3) {
    add(
      profile.isCa ? "error" : "warning",
      "V1_CERTIFICATE",
      `X.509 v${cert.version} certificate: no extensions at all (no basicConstraints, keyUsage, extendedKeyUsage or SANs)`,
      profile.isCa ? signHint(ctx, role) : `sign with extensions: ${signHint(ctx, role, spec?.sans ?? [])}`,
      profile.isCa ? "§7 item 1" : "§7 items 10, 14",
    );
  }
  if (profile.isCa) {
    if (!cert.isCa || (cert.keyUsages !== undefined && !cert.keyUsages.includes("keyCertSign"))) {
      add(
        "error",
        "NOT_A_CA",
        !cert.isCa
          ? 'a CA without basicConstraints CA:TRUE: kubeadm refuses it ("certificate ca is not a CA") and strict verifiers reject what it signed'
          : "a CA whose keyUsage lacks keyCertSign: nothing it signs verifies",
        signHint(ctx, role),
        "§1.4, §7 item 1",
      );
    }
  } else if (cert.isCa) {
    add(
      "error",
      "CA_ON_LEAF",
      "a leaf certificate with basicConstraints CA:TRUE: its key could sign certificates the whole cluster trusts",
      `re-issue it with basicConstraints=critical,CA:FALSE: ${signHint(ctx, role, spec?.sans ?? [])}`,
      "§1.1",
    );
  }
};
