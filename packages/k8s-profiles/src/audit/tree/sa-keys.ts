// The service-account key pair: sa.pub must hold sa.key's public key; during a rotation sa.pub holds
// several (the apiserver's --service-account-key-file accepts them all), sa.key's first, then sa-new.key's.
import { decodePemBlocks, describePrivateKeyPem, exportPublicKeyInfo, importPrivateKeyPem } from "@kubepki/core";
import { basename, bytesEqual, type Tree } from "../../files/read-files.js";
import type { Finding } from "../findings.js";
import { rotationInProgress } from "./rotation.js";

/** The SPKI bytes of a private key PEM, or undefined when it does not load. */
async function publicKeyOf(pem: string | undefined, crypto: Crypto | undefined): Promise<Uint8Array | undefined> {
  if (pem === undefined) return undefined;
  try {
    const stored = describePrivateKeyPem(pem).publicKeyInfo;
    if (stored) return stored;
    const options = crypto ? { crypto } : {};
    return await exportPublicKeyInfo(await importPrivateKeyPem(pem, options), options);
  } catch {
    return undefined;
  }
}

function publicKeyBlocks(text: string): Uint8Array[] | undefined {
  try {
    return decodePemBlocks(text)
      .filter((block) => block.label === "PUBLIC KEY")
      .map((block) => block.der);
  } catch {
    return undefined;
  }
}

/**
 * Each `sa.pub` of the tree must hold `sa.key`'s public key (`SA_KEY_MISMATCH`; an sa.key that
 * does not load, encrypted say, is not compared). With more than one key, or with an `sa-new.key`
 * beside it (a rotation): `sa.key` must be its first key; in phase begun (`sa-new.key` present)
 * every other key is sa-new.key's; in phase reissued the second is the outgoing key and there is
 * no third.
 */
export async function serviceAccountKeys(tree: Tree, crypto: Crypto | undefined): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [path, text] of tree.texts) {
    if (basename(path) !== "sa.pub") continue;
    const dir = path.slice(0, path.length - "sa.pub".length);
    const keyFile = `${dir}sa.key`;
    const newKeyFile = `${dir}sa-new.key`;
    const blocks = publicKeyBlocks(text);
    const incomingPem = tree.texts.get(newKeyFile);
    if (!blocks || blocks.length === 0) continue;
    const current = await publicKeyOf(tree.texts.get(keyFile), crypto);
    const base = { severity: "error" as const, file: path };
    // sa.key's public key must be in sa.pub, whatever the phase: tokens the API server signs with
    // sa.key are checked against sa.pub (--service-account-key-file) and refused otherwise.
    const absent = current !== undefined && !blocks.some((block) => bytesEqual(block, current));
    if (absent) {
      findings.push({
        ...base,
        code: "SA_KEY_MISMATCH",
        message: `${blocks.length === 1 ? `the public key in ${path} is not` : `none of the ${blocks.length} public keys in ${path} is`} ${keyFile}'s: the API server signs tokens with ${keyFile} (--service-account-signing-key-file) and refuses them against ${path} (--service-account-key-file)`,
        fix: `openssl pkey -in ${keyFile} -pubout -out ${path} (or, if ${path} is right, put its private key at ${keyFile})`,
        reference: "§1.1",
      });
    }
    if (blocks.length < 2 && incomingPem === undefined) continue;
    const incoming = await publicKeyOf(incomingPem, crypto);
    if (!absent && current && blocks[0] && !bytesEqual(blocks[0], current)) {
      findings.push({
        ...base,
        code: "KEY_MISMATCH",
        message: `the first public key of ${path} is not ${keyFile}'s: during a rotation the key that signs tokens comes first`,
        fix: `put ${keyFile}'s public key first in ${path} (openssl pkey -in ${keyFile} -pubout)`,
      });
    }
    if (incomingPem !== undefined && (!incoming || !blocks.some((block) => bytesEqual(block, incoming)))) {
      findings.push({
        ...base,
        code: "ROTATION_INCONSISTENT",
        message: `${newKeyFile} is not among the keys of ${path}: tokens it will sign after reissue would be refused`,
        fix: `append ${newKeyFile}'s public key to ${path} (kubepki rotate DIR --ca sa begin)`,
      });
    }
    blocks.forEach((block, index) => {
      const known =
        (current !== undefined && bytesEqual(block, current)) ||
        (incoming !== undefined && bytesEqual(block, incoming)) ||
        (incomingPem === undefined && index === 1);
      if (known) return;
      findings.push({
        ...base,
        code: "STRAY_SA_KEY",
        message: `public key ${index + 1} of ${path} is neither ${keyFile}'s nor ${incomingPem === undefined ? "the outgoing key of a rotation (the second)" : `${newKeyFile}'s`}: the API server accepts tokens signed by whoever holds its private key`,
        fix: `remove it from ${path}`,
      });
    });
    const phase = incomingPem !== undefined ? "begun" : "reissued";
    findings.push(rotationInProgress("sa", phase, path, [path, ...(incomingPem !== undefined ? [newKeyFile] : [])]));
  }
  return findings;
}
