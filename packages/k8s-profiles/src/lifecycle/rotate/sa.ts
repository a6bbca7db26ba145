// The service-account key pair's three phases: the apiserver verifies tokens with every public key
// of `--service-account-key-file` (sa.pub may hold several) and signs with one private key.
import { exportPublicKeyPem, generateKeyPair, importPrivateKeyPem, KubepkiError } from "@kubepki/core";
import { exportKey } from "../renew.js";
import { pemBlocks, SA_LAYOUT } from "./layout.js";
import type { RotateRun } from "./run.js";
import type { Work } from "./work.js";

/** What the last two phases of `sa` mean for tokens already handed out (signed by the old key). */
export const SA_NOTES = {
  reissue:
    "sa: the new key signs tokens from now on; tokens signed by the old key still verify until finish: run finish only after the longest token lifetime (default 1 h, bound tokens up to --service-account-max-token-expiration)",
  finish:
    "sa: tokens signed by the old key no longer verify (finish drops its public key); one still in use after the longest token lifetime (--service-account-max-token-expiration) is refused",
} as const;

/** begin: a new key at sa-new.key; sa.pub := old public key + new public key. */
export async function beginSa(work: Work, run: RotateRun): Promise<void> {
  const oldKeyPem = work.texts.get(SA_LAYOUT.key);
  if (oldKeyPem === undefined) {
    throw new KubepkiError("CA_KEY_MISSING", `${SA_LAYOUT.key} is not in the tree: the service-account signing key`, {
      details: { path: SA_LAYOUT.key },
    });
  }
  const [oldPub] = pemBlocks(work.texts.get(SA_LAYOUT.pub), "PUBLIC KEY") as [string];
  const oldKey = await importPrivateKeyPem(oldKeyPem, run.crypto);
  const keyPair = await generateKeyPair(oldKey.algorithm, { ...run.crypto, anyRsaSize: true });
  work.set(SA_LAYOUT.newKey, await exportKey(keyPair, oldKeyPem, run.crypto));
  work.set(SA_LAYOUT.pub, `${oldPub}${await exportPublicKeyPem(keyPair, run.crypto)}`);
}

/** reissue: sa.key := the new key (signing switches); sa.pub keeps both, new first. */
export function reissueSa(work: Work): void {
  const [oldPub, newPub] = pemBlocks(work.texts.get(SA_LAYOUT.pub), "PUBLIC KEY") as [string, string];
  work.set(SA_LAYOUT.key, work.texts.get(SA_LAYOUT.newKey) as string);
  work.remove(SA_LAYOUT.newKey);
  work.set(SA_LAYOUT.pub, `${newPub}${oldPub}`);
}

/** finish: sa.pub := the new public key only. */
export function finishSa(work: Work): void {
  const [newPub] = pemBlocks(work.texts.get(SA_LAYOUT.pub), "PUBLIC KEY") as [string];
  work.set(SA_LAYOUT.pub, newPub);
}
