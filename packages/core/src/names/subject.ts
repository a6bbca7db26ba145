import type { DistinguishedName, NameInput } from "./distinguished-name.js";

/** OWNER: write path (stub). Parses openssl `-subj` text (`/CN=kube-admin/O=system:masters`). */
export function parseSubject(text: string): DistinguishedName {
  void text;
  throw new Error("not implemented");
}

/** OWNER: write path (stub). Validates a name input and returns it as an object. */
export function normalizeName(input: NameInput): DistinguishedName {
  void input;
  throw new Error("not implemented");
}

/** OWNER: write path (stub). openssl-style one-line text of a name in kubepki's encoding order. */
export function formatName(name: DistinguishedName): string {
  void name;
  throw new Error("not implemented");
}
