import { decryptPrivateKeyPem, encryptPrivateKeyPem } from "@kubepki/core";
import type { KubeadmFile } from "@kubepki/k8s-profiles/files";
import type { ClusterPki } from "@kubepki/k8s-profiles/generate";
import type { ParsedArgs } from "../args.js";
import { passphraseFromArgs } from "../io/passphrase.js";

/**
 * `init --encrypt-ca-keys`, and an encrypted `--ca-key`: the cluster CAs' keys (`pki/ca.key`, `pki/etcd/ca.key`,
 * `pki/front-proxy-ca.key`) written as `ENCRYPTED PRIVATE KEY`. Such a tree is for storage or
 * offline signing: kubeadm and the controller-manager read only unencrypted keys (the audit warns
 * `ENCRYPTED_KEY`). Loaded by init only with the flag, so init's plain path loads nothing more.
 */

/** Asked before any key is generated: the passphrase for the CA keys. */
export function caKeysPassphrase(args: ParsedArgs, out: string): Promise<string> {
  return passphraseFromArgs(args, {
    envName: "KUBEPKI_PASSPHRASE",
    purpose: `the cluster CA keys in ${out}`,
    confirm: true,
  });
}

/** `files` with the CA keys' contents replaced by their encrypted PEM (the CA keys present: an external CA has none). */
export async function encryptCaKeys(
  pki: ClusterPki,
  files: readonly KubeadmFile[],
  passphrase: string,
): Promise<KubeadmFile[]> {
  const caKeys = new Set(pki.certificates.filter(({ spec }) => spec.isCa).map(({ spec }) => spec.keyPath));
  return Promise.all(
    files.map(async (file) =>
      caKeys.has(file.path) ? { ...file, contents: await encryptPrivateKeyPem(file.contents, passphrase) } : file,
    ),
  );
}

/**
 * An encrypted key given to init (`--ca-key`, `--root-key`; made by `kubepki ca init --encrypt` or
 * `init --encrypt-ca-keys`), decrypted with the passphrase from the source's file flag, its
 * environment variable or the terminal: a wrong one is `WRONG_PASSPHRASE` before any key is
 * generated or file written.
 */
export async function decryptKey(
  args: ParsedArgs,
  file: string,
  pem: string,
  source: { readonly flag: string; readonly envName: string },
): Promise<string> {
  const passphrase = await passphraseFromArgs(args, {
    flag: source.flag,
    envName: source.envName,
    purpose: `the key ${file}`,
    confirm: false,
  });
  return decryptPrivateKeyPem(pem, passphrase);
}
